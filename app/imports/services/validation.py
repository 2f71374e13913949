"""Turning spreadsheet rows into checked match rows, collecting every problem as data.

Nothing here touches the database except to read the competitions a file may name: the same
code serves the preview (a dry run) and the import.
"""

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone
from functools import cached_property
from itertools import islice, repeat
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from app.football.competitions import first_season
from app.football.models import Competition, Match
from app.football.naming import name_key
from app.football.seasons import calendar_for
from app.football.services.identity import NamedMatch, ids_for_named
from app.football.text_checks import FORMULA_START, INVISIBLE
from app.imports.services.columns import SCORE_PAIR, ColumnMapping
from app.imports.services.fields import FIELD_BY_NAME, FIELD_NAMES, PLAIN, TEXT_LIMITS, label
from app.imports.services.reading import Table

MAX_SCORE = 200
# The first international match (Scotland–England); nothing in football is older.
FIRST_MATCH = date(1872, 11, 30)
FUTURE_DAYS = 2 * 365  # fixtures are planned at most about two years ahead
_SCORE_PAIR = re.compile(r"^\s*(\d{1,3})\s*[-:–]\s*(\d{1,3})\s*$")
_MONTHS = {
    "ocak": 1, "oca": 1, "january": 1, "jan": 1, "subat": 2, "sub": 2, "february": 2, "feb": 2, "mart": 3,
    "mar": 3, "march": 3, "nisan": 4, "nis": 4, "april": 4, "apr": 4, "mayis": 5, "may": 5, "haziran": 6,
    "haz": 6, "june": 6, "jun": 6, "temmuz": 7, "tem": 7, "july": 7, "jul": 7, "agustos": 8, "agu": 8,
    "august": 8, "aug": 8, "eylul": 9, "eyl": 9, "september": 9, "sep": 9, "ekim": 10, "eki": 10, "october": 10,
    "oct": 10, "kasim": 11, "kas": 11, "november": 11, "nov": 11, "aralik": 12, "ara": 12, "december": 12,
    "dec": 12,
}  # fmt: skip
_MONTH_DATE = re.compile(r"^(\d{1,2})\.?\s+([^\W\d_]+)\.?\s+(\d{4})$")
# Excel day numbers (1899-12-30 + n) are read as dates from this one on (1927): smaller numbers are
# more likely a year or a count typed into the wrong column.
_MIN_SERIAL = 10000
_EXCEL_EPOCH = date(1899, 12, 30)
_SEASON = re.compile(r"^\s*(\d{4})(?:\s*[-/]\s*(\d{2}|\d{4}))?\s*$")
_TRUE = {"true", "1", "evet", "e", "yes", "y", "dogru", "x"}
_FALSE = {"false", "0", "hayir", "h", "no", "n", "yanlis", ""}
_EMPTY_SCORE = {"", "na", "n/a", "-", "—"}
_DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y", "%Y.%m.%d")
# Rows checked at a time: the cells of one chunk are held, never the whole sheet's.
CHUNK_ROWS = 10_000
# Distinct cells of a column whose results are kept for the next chunks (teams, dates, seasons
# repeat; a column of unique values would only grow the cache).
MAX_CACHED_VALUES = 100_000


@dataclass(slots=True)
class ValidRow:
    """A row that passed every check; optional fields are None when the file has no such column."""

    row: int
    external_id: str
    competition_id: int
    season_start: int
    date: date
    home: str
    away: str
    home_score: int | None
    away_score: int | None
    status: str | None
    # The file's values of the plain fields it has a column for (Analysis.plain_fields, in that
    # order): a tuple, not a dict, as a file may hold a million rows.
    plain: tuple
    generated_id: bool = False
    stored_match: bool = False  # without an id of its own, found to be a stored match


@dataclass
class Analysis:
    mapping: ColumnMapping
    rows: list[ValidRow]
    errors: list[dict]
    error_count: int
    rejected: int
    total_rows: int
    competitions: dict[int, Competition] = field(default_factory=dict)
    # {"kind": …, "message": …, "rows": [...]}: things a person should see before confirming.
    warnings: list[dict] = field(default_factory=list)

    @property
    def present(self) -> set[str]:
        return set(self.mapping.columns)

    @cached_property
    def plain_fields(self) -> tuple[str, ...]:
        """The plain fields (fields.PLAIN) the file has a column for: the names of ValidRow.plain."""
        return tuple(name for name in PLAIN if name in self.mapping.columns)

    def plain_of(self, row: ValidRow) -> dict[str, Any]:
        """A row's plain values by field name, each of its field's own type (text, bool, int, datetime)."""
        return dict(zip(self.plain_fields, row.plain, strict=True))


class _RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        self.column = column
        self.message = message


# Positions of a row's converted values (the field table's order; absent fields are None).
_AT = {name: index for index, name in enumerate(FIELD_NAMES)}


def analyse_table(table: Table, mapping: ColumnMapping, *, competition: Competition, max_errors: int) -> Analysis:
    """Check every data row; valid ones become ValidRows, the others row errors (row, column, message).

    The rows are read as a stream, CHUNK_ROWS at a time, so only the checked rows are kept, never
    the sheet's cells. Each chunk is worked column by column: a column repeats few distinct values
    (teams, seasons, scores, dates), so each distinct cell is converted once for the whole file and
    the per-row loop only does the checks across columns.
    """
    validator = _RowValidator(table, mapping, competition)
    parsed_rows: list[ValidRow] = []
    refused: dict[int, list[tuple[str, str]]] = {}
    total = 0
    for numbers, columns in _column_chunks(table, mapping):
        total += len(numbers)
        converted, bad = validator.convert_columns(numbers, columns)
        del columns
        by_field = [converted[name] if name in converted else repeat(None, len(numbers)) for name in FIELD_NAMES]
        for index, values in enumerate(zip(*by_field)):  # noqa: B905 (all of the chunk's length)
            number = numbers[index]
            if index in bad:
                refused[number] = [(value.column, value.message) for value in values if value.__class__ is _RowError]
                continue
            row_errors, parsed = validator.check_row(number, values)
            if parsed is None:
                refused[number] = row_errors
            else:
                parsed_rows.append(parsed)
    warnings: list[dict] = []
    _identify(parsed_rows, validator.competitions_used)
    rows = _without_duplicates(parsed_rows, refused, warnings)
    errors: list[dict] = []
    error_count = 0
    for number in sorted(refused):
        for column, message in refused[number]:
            error_count += 1
            if len(errors) < max_errors:
                errors.append({"row": number, "column": str(column), "message": str(message)})
    return Analysis(
        mapping=mapping,
        rows=rows,
        errors=errors,
        error_count=error_count,
        rejected=len(refused),
        total_rows=total,
        competitions=validator.competitions_used,
        warnings=warnings,
    )


def _without_duplicates(
    rows: list[ValidRow], refused: dict[int, list[tuple[str, str]]], warnings: list[dict]
) -> list[ValidRow]:
    """Rows sharing an id (or, without one, date + home + away): exact copies are kept once (a
    warning names them); copies that differ are all refused, since which one is right is unknown."""
    first_of: dict[str, ValidRow] = {}
    groups: dict[str, list[ValidRow]] = {}  # only ids that occur more than once: the file stays small
    for row in rows:
        first = first_of.setdefault(row.external_id, row)
        if first is not row:
            groups.setdefault(row.external_id, [first]).append(row)
    del first_of
    if not groups:
        return rows
    drop: set[int] = set()
    for group in groups.values():
        numbers = [row.row for row in group]
        listed = ", ".join(map(str, numbers))
        if len({_content(row) for row in group}) == 1:
            warnings.append(
                {
                    "kind": "copies",
                    "rows": numbers,
                    "message": _("Satır {rows} aynı maçın birebir kopyası; bir kez kaydedilecek.").format(rows=listed),
                }
            )
            drop.update(numbers[1:])
            continue
        first = group[0]
        if first.generated_id:
            column = label("date")
            message = _(
                "Aynı maç ({date} {home} – {away}) dosyada birden çok satırda farklı değerlerle var (satır {rows}); "
                "hangisinin doğru olduğu bilinmediği için hepsi reddedildi."
            ).format(date=first.date.strftime("%d.%m.%Y"), home=first.home, away=first.away, rows=listed)
        else:
            column = label("external_id")
            message = _(
                "Maç kimliği “{id}” dosyada birden çok satırda farklı değerlerle var (satır {rows}); "
                "hangisinin doğru olduğu bilinmediği için hepsi reddedildi."
            ).format(id=first.external_id, rows=listed)
        for number in numbers:
            refused[number] = [(column, message)]
        drop.update(numbers)
    return [row for row in rows if row.row not in drop]


def _identify(rows: list[ValidRow], competitions: dict[int, Competition]) -> None:
    """Rows without an id get the stored match's they are, or one built from the teams they name
    (the one rule: football.services.identity), so a spelling never makes a second match."""
    unnamed = [row for row in rows if not row.external_id]
    if not unnamed:
        return
    named = [NamedMatch(competitions[row.competition_id], row.date, row.home, row.away) for row in unnamed]
    given = [row.external_id for row in rows if row.external_id]
    for row, (external_id, stored) in zip(unnamed, ids_for_named(named, other_ids=given), strict=True):
        row.external_id = external_id
        row.generated_id = True
        row.stored_match = stored


def _content(row: ValidRow) -> tuple:
    """Everything but the row number, hashable."""
    return (row.external_id, row.competition_id, row.season_start, row.date, row.home, row.away, row.home_score,
            row.away_score, row.status, row.plain)  # fmt: skip


def _column_chunks(table: Table, mapping: ColumnMapping) -> Iterator[tuple[list[int], dict[str, list]]]:
    """Per CHUNK_ROWS rows read: the row numbers of the non-blank ones and, per mapped field, the
    raw cells of its column."""
    while chunk := list(islice(table.rows, CHUNK_ROWS)):
        numbers: list[int] = []
        kept: list[list] = []
        for number, cells in chunk:
            empty = cells.count("") + cells.count(None)
            if empty == len(cells) or (empty and _blank(cells)):
                continue
            numbers.append(number)
            kept.append(cells)
        del chunk
        if numbers:
            yield (
                numbers,
                {
                    name: [cells[index] if index < len(cells) else None for cells in kept]
                    for name, index in mapping.columns.items()
                },
            )


def _blank(cells: list) -> bool:
    for cell in cells:
        if cell is not None and cell != "" and not (isinstance(cell, str) and not cell.strip()):
            return False
    return True


class _RowValidator:
    def __init__(self, table: Table, mapping: ColumnMapping, competition: Competition) -> None:
        self.columns = mapping.columns
        # Without score columns a stored match keeps its scores; a status alone is then fine.
        self.has_scores = "home_score" in mapping.columns or SCORE_PAIR in mapping.columns
        self.plain_at = [_AT[name] for name in PLAIN if name in mapping.columns]  # as Analysis.plain_fields
        # Row number → (0-based column, message) of its cells whose value must not be used.
        self.cell_problems: dict[int, list[tuple[int, str]]] = {}
        for (row_number, column_index), message in _cell_problems(table).items():
            self.cell_problems.setdefault(row_number, []).append((column_index, message))
        self.default_competition = competition
        self.competitions_used = {competition.id: competition}
        self._competition_by_key: dict[str, Competition] | None = None
        self._keys: dict[str, str] = {}
        self._statuses = _status_lookup()
        # Per column: converted value (or _RowError) of each distinct cell seen so far.
        self._results: dict[str, dict[object, object]] = {}
        self.tz = timezone.get_current_timezone()
        self.latest_date = timezone.localdate() + timedelta(days=FUTURE_DAYS)

    # Each converter returns the value or raises _RowError(column label, message).

    def convert_columns(self, numbers: list[int], columns: dict[str, list]) -> tuple[dict[str, list], set[int]]:
        """Each column converted cell by cell (distinct values once); the positions of rows with an error."""
        converted: dict[str, list] = {}
        bad: set[int] = set()
        problems = [
            (position, column_index, message)
            for position, number in enumerate(numbers)
            if number in self.cell_problems
            for column_index, message in self.cell_problems[number]
        ]
        for name, index in self.columns.items():
            convert = getattr(self, f"_{FIELD_BY_NAME[name].converter}")
            column = columns[name]
            values: list
            if name in ("external_id", "kickoff"):  # unique per row: nothing to share
                values = [_convert(convert, cell, name) for cell in column]
                failed = any(value.__class__ is _RowError for value in values)
            else:
                # Results of earlier chunks are reused: a team or a date is converted once per file.
                results = self._results.setdefault(name, {})
                if len(results) > MAX_CACHED_VALUES:  # a column of (nearly) unique values
                    results.clear()
                distinct = set(column)
                if (True in distinct or False in distinct) and any(cell.__class__ is bool for cell in column):
                    # True == 1 == 1.0 as set members; a bool must not borrow the result of a number.
                    keys = [cell if cell.__class__ is not bool else (bool, cell) for cell in column]
                    distinct = set(keys)
                else:
                    keys = column
                for key in distinct - results.keys():
                    results[key] = _convert(convert, key[1] if key.__class__ is tuple else key, name)
                values = list(map(results.__getitem__, keys))
                failed = any(results[key].__class__ is _RowError for key in distinct)
            for position, column_index, message in problems:
                if column_index == index:
                    values[position] = _RowError(label(name), message)
                    failed = True
            if failed:
                bad.update(i for i, value in enumerate(values) if value.__class__ is _RowError)
            converted[name] = values
        return converted, bad

    def check_row(self, number: int, values: tuple) -> tuple[list[tuple[str, str]], "ValidRow | None"]:
        """Checks across columns of a row whose cells each converted fine."""
        home, away = values[_AT["home"]], values[_AT["away"]]
        home_score, away_score = values[_AT["home_score"]], values[_AT["away_score"]]
        if values[_AT["score"]] is not None:
            home_score, away_score = values[_AT["score"]]
        match_date, season_start, status = values[_AT["date"]], values[_AT["season"]], values[_AT["status"]]
        competition = values[_AT["competition"]]
        if name_key(home) == name_key(away):
            return [(label("away"), _("Bir takım kendisiyle oynayamaz ({team}).").format(team=home))], None
        if (home_score is None) != (away_score is None):
            column = label("away_score") if away_score is None else label("home_score")
            return [(column, _("Skorun ikisi de yazılmalı ya da ikisi de boş bırakılmalı."))], None
        if status == Match.Status.FINISHED and home_score is None and self.has_scores:
            return [(label("status"), _("Bitmiş maçın skoru yazılmalı."))], None
        competition = competition or self.default_competition
        calendar = calendar_for(competition)
        if season_start is None:
            season_start = calendar.season_for(match_date)
        elif not calendar.contains(match_date, season_start):
            message = _("Tarih ({date}) {season} sezonuna uymuyor.").format(
                date=match_date.strftime("%d.%m.%Y"), season=calendar.season_name(season_start)
            )
            return [(label("season"), message)], None
        first = first_season(competition.slug)
        if first is not None and season_start < first:
            message = _("{competition} ilk sezonu {first}; {season} sezonu olamaz.").format(
                competition=competition.name,
                first=calendar.season_name(first),
                season=calendar.season_name(season_start),
            )
            return [(label("season") if values[_AT["season"]] is not None else label("date"), message)], None
        external_id = values[_AT["external_id"]]
        return [], ValidRow(
            row=number,
            external_id=external_id or "",
            competition_id=competition.id,
            season_start=season_start,
            date=match_date,
            home=home,
            away=away,
            home_score=home_score,
            away_score=away_score,
            status=status,
            plain=tuple(values[index] for index in self.plain_at),
        )

    def _key(self, name: str) -> str:
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = name_key(name)
        return key

    def _text(self, cell: object, field_name: str) -> str:
        if cell is None:
            return ""
        if isinstance(cell, str):
            text = cell.strip()
        elif isinstance(cell, float) and cell.is_integer():
            text = str(int(cell))
        elif isinstance(cell, (date, time, timedelta)):
            raise _RowError(label(field_name), _("Burada metin bekleniyordu, tarih/saat yazılmış."))
        else:
            text = str(cell).strip()
        if text.startswith("="):
            raise _RowError(label(field_name), _("Hücrede formül var; formüller hesaplanmaz, değeri yazın."))
        # A quote before =, +, - or @ is how our own export neutralises would-be formulas.
        if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
            text = text[1:]
        if "\n" in text or "\t" in text or "\r" in text or "  " in text:
            text = " ".join(text.split())
        if not text.isascii():
            if not unicodedata.is_normalized("NFC", text):
                text = unicodedata.normalize("NFC", text)
        bad = INVISIBLE.search(text)
        if bad:
            raise _RowError(
                label(field_name),
                _("Görünmeyen ya da denetim karakteri var ({code}); hücreyi temizleyip yeniden yazın.").format(
                    code=f"U+{ord(bad.group()):04X}"
                ),
            )
        return text

    def _external_id(self, cell: object, field_name: str) -> str:
        text = self._text(cell, "external_id")
        if len(text) > 64:
            raise _RowError(label("external_id"), _("Maç kimliği en fazla 64 karakter olabilir."))
        return text

    def _team(self, cell: object, field_name: str) -> str:
        name = self._text(cell, field_name)
        if not name:
            raise _RowError(label(field_name), _("Takım adı boş."))
        if len(name) > 120:
            raise _RowError(label(field_name), _("Takım adı en fazla 120 karakter olabilir."))
        if name.startswith(FORMULA_START):
            raise _RowError(
                label(field_name),
                _("Takım adı “=”, “+”, “-” ya da “@” ile başlayamaz: “{value}”.").format(value=name[:40]),
            )
        if not self._key(name):
            raise _RowError(label(field_name), _("Takım adı harf ya da rakam içermiyor: “{value}”.").format(value=name))
        return name

    def _score(self, cell: object, field_name: str) -> int | None:
        if cell is None:
            return None
        if isinstance(cell, bool):
            raise _RowError(label(field_name), _("Skor sayı olmalı."))
        if isinstance(cell, int):
            value = cell
        elif isinstance(cell, float):
            if not cell.is_integer():
                raise _RowError(label(field_name), _("Skor tam sayı olmalı: “{value}”.").format(value=cell))
            value = int(cell)
        elif isinstance(cell, str):
            text = cell.strip()
            if text.lower() in _EMPTY_SCORE:
                return None
            if text.startswith("="):
                raise _RowError(label(field_name), _("Hücrede formül var; formüller hesaplanmaz, değeri yazın."))
            try:
                value = int(text)
            except ValueError:
                raise _RowError(
                    label(field_name), _("Skor sayı olmalı, “{value}” yazılmış.").format(value=text[:40])
                ) from None
        else:
            raise _RowError(label(field_name), _("Skor sayı olmalı."))
        if value < 0:
            raise _RowError(label(field_name), _("Skor negatif olamaz ({value}).").format(value=value))
        if value > MAX_SCORE:
            raise _RowError(label(field_name), _("Skor çok büyük ({value}).").format(value=value))
        return value

    def _score_pair(self, cell: object, field_name: str) -> tuple[int | None, int | None]:
        """`2-1` or `2:1` in one cell; empty = not played."""
        text = self._text(cell, field_name)
        if text.lower() in _EMPTY_SCORE:
            return None, None
        found = _SCORE_PAIR.match(text)
        if not found:
            raise _RowError(label(field_name), _("Skor “2-1” ya da “2:1” gibi yazılmalı, “{value}” yazılmış.").format(
                value=text[:40]
            ))  # fmt: skip
        home, away = int(found.group(1)), int(found.group(2))
        if max(home, away) > MAX_SCORE:
            raise _RowError(label(field_name), _("Skor çok büyük ({value}).").format(value=max(home, away)))
        return home, away

    def _date(self, cell: object, field_name: str = "date") -> date:
        if isinstance(cell, datetime):
            value = cell.date()
        elif isinstance(cell, date):
            value = cell
        elif isinstance(cell, str) and cell.strip():
            value = _parse_date_text(cell.strip())
        elif cell is None or cell == "":
            raise _RowError(label("date"), _("Tarih boş."))
        elif isinstance(cell, (int, float)) and not isinstance(cell, bool) and cell >= _MIN_SERIAL and cell < 2958466:
            value = _EXCEL_EPOCH + timedelta(days=int(cell))  # an Excel day number without date format
        elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
            raise _RowError(label("date"), _("Tarih sayı olarak yazılmış; hücreyi tarih biçimine çevirin."))
        else:
            raise _RowError(label("date"), _("Tarih anlaşılamadı."))
        if value < FIRST_MATCH:
            raise _RowError(
                label("date"),
                _("Tarih çok eski ({date}): bilinen ilk futbol maçı 30.11.1872'de oynandı.").format(
                    date=value.strftime("%d.%m.%Y")
                ),
            )
        if value > self.latest_date:
            raise _RowError(
                label("date"),
                _("Tarih çok ileride ({date}): en fazla iki yıl sonrası ({latest}) kabul edilir.").format(
                    date=value.strftime("%d.%m.%Y"), latest=self.latest_date.strftime("%d.%m.%Y")
                ),
            )
        return value

    def _season(self, cell: object, field_name: str = "season") -> int | None:
        if cell is None or cell == "":
            return None
        if isinstance(cell, float) and cell.is_integer():
            cell = int(cell)
        if isinstance(cell, int) and not isinstance(cell, bool):
            year = cell
        else:
            match = _SEASON.match(str(cell))
            if not match:
                raise _RowError(
                    label("season"), _("Sezon anlaşılamadı: “{value}” (ör. 2023-24 ya da 2023).").format(value=cell)
                )
            year = int(match.group(1))
        if not FIRST_MATCH.year <= year <= self.latest_date.year:
            raise _RowError(label("season"), _("Sezon makul aralıkta değil ({value}).").format(value=year))
        return year

    def _competition(self, cell: object, field_name: str = "competition") -> Competition | None:
        text = self._text(cell, "competition")
        if not text:
            return None
        if self._competition_by_key is None:
            # Only reads: the import write path (importing._analyse) has created the known competitions.
            self._competition_by_key = {}
            for stored in Competition.objects.all():
                for spelling in (stored.slug, stored.name, stored.code):
                    if spelling:
                        self._competition_by_key.setdefault(name_key(spelling), stored)
        competition = self._competition_by_key.get(self._key(text))
        if competition is None:
            raise _RowError(label("competition"), _("Bilinmeyen organizasyon: “{value}”.").format(value=text[:60]))
        self.competitions_used.setdefault(competition.id, competition)
        return competition

    def _status(self, cell: object, field_name: str = "status") -> str | None:
        text = self._text(cell, "status")
        if not text:
            return None
        status = self._statuses.get(self._key(text))
        if status is None:
            raise _RowError(
                label("status"),
                _("Bilinmeyen durum: “{value}”. Kabul edilenler: {allowed}.").format(
                    value=text[:40], allowed=", ".join(str(choice.label) for choice in Match.Status)
                ),
            )
        return status

    def _text_field(self, cell: object, field_name: str) -> str:
        text = self._text(cell, field_name)
        if len(text) > TEXT_LIMITS[field_name]:
            raise _RowError(
                label(field_name),
                _("En fazla {limit} karakter olabilir.").format(limit=TEXT_LIMITS[field_name]),
            )
        return text

    def _neutral(self, cell: object, field_name: str = "neutral") -> bool:
        if isinstance(cell, bool):
            return cell
        if isinstance(cell, (int, float)) and cell in (0, 1):
            return bool(cell)
        key = self._key(str(cell)) if cell is not None else ""
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise _RowError(label("neutral"), _("Evet/Hayır (TRUE/FALSE) bekleniyordu: “{value}”.").format(value=cell))

    def _matchday(self, cell: object, field_name: str = "matchday") -> int | None:
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            return None
        number = None
        if isinstance(cell, (int, float, str)) and not isinstance(cell, bool):
            try:
                number = float(cell)
            except ValueError:
                pass
        if number is None or not number.is_integer() or not 1 <= number <= 99:
            raise _RowError(label("matchday"), _("Hafta 1 ile 99 arasında bir tam sayı olmalı."))
        return int(number)

    def _kickoff(self, cell: object, field_name: str = "kickoff") -> datetime | None:
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            return None
        value: datetime | None = None
        if isinstance(cell, datetime):
            value = cell
        elif isinstance(cell, str):
            try:
                value = datetime.fromisoformat(cell.strip().replace("Z", "+00:00"))
            except ValueError:
                for fmt in ("%d.%m.%Y %H:%M", "%d/%m/%Y %H:%M"):
                    try:
                        value = datetime.strptime(cell.strip(), fmt)
                        break
                    except ValueError:
                        continue
        if value is None:
            raise _RowError(label("kickoff"), _("Başlama saati anlaşılamadı (ör. 2024-05-19 19:00)."))
        if timezone.is_naive(value):
            value = timezone.make_aware(value, self.tz)
        return value.astimezone(dt_timezone.utc)


def _convert(convert: Callable[[object, str], object], cell: object, name: str) -> object:
    try:
        return convert(cell, name)
    except _RowError as error:
        return error


def _parse_date_text(text: str) -> date:
    candidate = text.split("T")[0].split(" ")[0]
    try:
        return date.fromisoformat(candidate)
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(candidate, fmt).date()
        except ValueError:
            continue
    named = _MONTH_DATE.match(text.strip())
    if named and name_key(named.group(2)) in _MONTHS:
        try:
            return date(int(named.group(3)), _MONTHS[name_key(named.group(2))], int(named.group(1)))
        except ValueError:
            raise _RowError(label("date"), _("Böyle bir tarih yok: “{value}”.").format(value=text[:40])) from None
    # Well-formed but impossible (30 February) deserves a different message than gibberish.
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{4}", candidate):
        raise _RowError(label("date"), _("Böyle bir tarih yok: “{value}”.").format(value=candidate))
    raise _RowError(
        label("date"), _("Tarih anlaşılamadı: “{value}” (ör. 2024-05-19 ya da 19.05.2024).").format(value=text[:40])
    )


def _status_lookup() -> dict[str, str]:
    lookup = {}
    for language in [code for code, _name in settings.LANGUAGES]:
        with translation.override(language):
            for choice in Match.Status:
                lookup[name_key(str(choice.label))] = choice.value
    for choice in Match.Status:
        lookup[name_key(choice.value)] = choice.value
    return lookup


def _cell_problems(table: Table) -> dict[tuple[int, int], str]:
    """Cells whose value must not be used: formulas (never evaluated) and cells under a merged cell."""
    problems = {cell: _("Hücrede formül var; formüller hesaplanmaz, değeri yazın.") for cell in table.formula_cells}
    for cell, ref in table.merged_cells.items():
        problems.setdefault(
            cell, _("Hücre birleştirilmiş ({ref}); birleştirmeyi kaldırıp her satıra değeri yazın.").format(ref=ref)
        )
    return problems
