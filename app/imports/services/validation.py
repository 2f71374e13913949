"""Turning spreadsheet rows into checked match rows, collecting every problem as data.

Nothing here touches the database except to read the competitions a file may name: the same
code serves the preview (a dry run) and the import.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone
from itertools import repeat

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from app.football.models import Competition, Match
from app.football.naming import name_key, stable_external_id
from app.football.services.demo_data import INTERNATIONAL, SUPER_LIG, ensure_competition
from app.football.services.matches import league_season_start_year
from app.imports.services.columns import FIELDS, ColumnMapping, label
from app.imports.services.reading import Table

MAX_SCORE = 200
MIN_YEAR, MAX_YEAR = 1850, 2100
_SEASON = re.compile(r"^\s*(\d{4})(?:\s*[-/]\s*(\d{2}|\d{4}))?\s*$")
_TRUE = {"true", "1", "evet", "e", "yes", "y", "dogru", "x"}
_FALSE = {"false", "0", "hayir", "h", "no", "n", "yanlis", ""}
_EMPTY_SCORE = {"", "na", "n/a", "-", "—"}
_DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y", "%Y.%m.%d")
TEXT_LIMITS = {"tournament": 120, "venue": 160, "city": 120, "country": 120}


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
    tournament: str | None
    venue: str | None
    city: str | None
    country: str | None
    neutral: bool | None
    matchday: int | None
    kickoff: datetime | None


@dataclass
class Analysis:
    mapping: ColumnMapping
    rows: list[ValidRow]
    errors: list[dict]
    error_count: int
    rejected: int
    total_rows: int
    competitions: dict[int, Competition] = field(default_factory=dict)

    @property
    def present(self) -> set[str]:
        return set(self.mapping.columns)


class _RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        self.column = column
        self.message = message


# Unpacking order of a row's converted values; every field of columns.FIELDS, absent ones as None.
FIELD_ORDER = ("external_id", "competition", "season", "date", "home", "away", "home_score", "away_score", "status",
               "tournament", "matchday", "venue", "city", "country", "neutral", "kickoff")  # fmt: skip
assert set(FIELD_ORDER) == set(FIELDS)


def analyse_table(table: Table, mapping: ColumnMapping, *, competition: Competition, max_errors: int) -> Analysis:
    """Check every data row; valid ones become ValidRows, the others row errors (row, column, message).

    Works column by column: a column repeats few distinct values (teams, seasons, scores, dates), so
    each distinct cell is converted once and the per-row loop only does the checks across columns.
    """
    validator = _RowValidator(table, mapping, competition)
    numbers, columns = _columns(table, mapping)
    total = len(numbers)
    converted, bad = validator.convert_columns(numbers, columns)
    del columns
    rows: list[ValidRow] = []
    errors: list[dict] = []
    error_count = rejected = 0
    first_row_of: dict[str, int] = {}
    occurrences: dict[str, int] = {}
    by_field = [converted[name] if name in converted else repeat(None, total) for name in FIELD_ORDER]
    for index, values in enumerate(zip(*by_field)):  # noqa: B905 (all of length `total`)
        number = numbers[index]
        if index in bad:
            row_errors = [(value.column, value.message) for value in values if value.__class__ is _RowError]
        else:
            row_errors, parsed = validator.check_row(number, values)
        if not row_errors:
            if parsed.external_id:
                first = first_row_of.setdefault(parsed.external_id, number)
                if first != number:
                    row_errors = [
                        (
                            label("external_id"),
                            _("Bu maç kimliği dosyada {first}. satırda da var; yalnızca ilki alındı.").format(
                                first=first
                            ),
                        )
                    ]
            else:
                # The same teams on the same day twice is a real (rare) double-header, as in the
                # shipped data: number the occurrences, exactly as the demo loader does.
                base = stable_external_id(parsed.date, parsed.home, parsed.away)
                seen = occurrences[base] = occurrences.get(base, 0) + 1
                parsed.external_id = (
                    base if seen == 1 else stable_external_id(parsed.date, parsed.home, parsed.away, seen)
                )
        if row_errors:
            rejected += 1
            error_count += len(row_errors)
            for column, message in row_errors:
                if len(errors) < max_errors:
                    errors.append({"row": number, "column": str(column), "message": str(message)})
            continue
        rows.append(parsed)
    return Analysis(
        mapping=mapping,
        rows=rows,
        errors=errors,
        error_count=error_count,
        rejected=rejected,
        total_rows=total,
        competitions=validator.competitions_used,
    )


def _columns(table: Table, mapping: ColumnMapping) -> tuple[list[int], dict[str, list]]:
    """Row numbers of the non-blank rows and, per mapped field, the raw cells of its column."""
    numbers: list[int] = []
    kept: list[list] = []
    for number, cells in table.rows:
        empty = cells.count("") + cells.count(None)
        if empty == len(cells) or (empty and _blank(cells)):
            continue
        numbers.append(number)
        kept.append(cells)
    columns = {}
    for name, index in mapping.columns.items():
        columns[name] = [cells[index] if index < len(cells) else None for cells in kept]
    return numbers, columns


def _blank(cells: list) -> bool:
    for cell in cells:
        if cell is not None and cell != "" and not (isinstance(cell, str) and not cell.strip()):
            return False
    return True


class _RowValidator:
    def __init__(self, table: Table, mapping: ColumnMapping, competition: Competition) -> None:
        self.columns = mapping.columns
        # Without score columns a stored match keeps its scores; a status alone is then fine.
        self.has_scores = "home_score" in mapping.columns
        self.formula_cells = table.formula_cells
        self.default_competition = competition
        self.competitions_used = {competition.id: competition}
        self._competition_by_key: dict[str, Competition] | None = None
        self._keys: dict[str, str] = {}
        self._statuses = _status_lookup()
        self.tz = timezone.get_current_timezone()

    # Each converter returns the value or raises _RowError(column label, message).

    def convert_columns(self, numbers: list[int], columns: dict[str, list]) -> tuple[dict[str, list], set[int]]:
        """Each column converted cell by cell (distinct values once); the positions of rows with an error."""
        converted: dict[str, list] = {}
        bad: set[int] = set()
        position = {number: index for index, number in enumerate(numbers)} if self.formula_cells else {}
        for name, index in self.columns.items():
            convert = getattr(self, f"_{name}")
            column = columns[name]
            if name in ("external_id", "kickoff"):  # unique per row: nothing to share
                values = [_convert(convert, cell) for cell in column]
                failed = any(value.__class__ is _RowError for value in values)
            else:
                distinct = set(column)
                if (True in distinct or False in distinct) and any(cell.__class__ is bool for cell in column):
                    # True == 1 == 1.0 as set members; a bool must not borrow the result of a number.
                    keys = [cell if cell.__class__ is not bool else (bool, cell) for cell in column]
                    results = {key: _convert(convert, key[1] if key.__class__ is tuple else key) for key in set(keys)}
                    values = [results[key] for key in keys]
                else:
                    results = {cell: _convert(convert, cell) for cell in distinct}
                    values = list(map(results.__getitem__, column))
                failed = any(value.__class__ is _RowError for value in results.values())
            for row_number, column_index in self.formula_cells:
                if column_index == index and row_number in position:
                    values[position[row_number]] = _RowError(
                        label(name), _("Hücrede formül var; formüller hesaplanmaz, değeri yazın.")
                    )
                    failed = True
            if failed:
                bad.update(i for i, value in enumerate(values) if value.__class__ is _RowError)
            converted[name] = values
        return converted, bad

    def check_row(self, number: int, values: tuple) -> tuple[list[tuple[str, str]], "ValidRow | None"]:
        """Checks across columns of a row whose cells each converted fine."""
        (external_id, competition, season_start, match_date, home, away, home_score, away_score, status,
         tournament, matchday, venue, city, country, neutral, kickoff) = values  # fmt: skip
        if name_key(home) == name_key(away):
            return [(label("away"), _("Bir takım kendisiyle oynayamaz ({team}).").format(team=home))], None
        if (home_score is None) != (away_score is None):
            column = label("away_score") if away_score is None else label("home_score")
            return [(column, _("Skorun ikisi de yazılmalı ya da ikisi de boş bırakılmalı."))], None
        if status == Match.Status.FINISHED and home_score is None and self.has_scores:
            return [(label("status"), _("Bitmiş maçın skoru yazılmalı."))], None
        competition = competition or self.default_competition
        calendar = competition.kind == Competition.Kind.INTERNATIONAL
        if season_start is None:
            season_start = match_date.year if calendar else league_season_start_year(match_date)
        elif not (season_start <= match_date.year <= season_start + (0 if calendar else 1)):
            message = _("Tarih ({date}) {season} sezonuna uymuyor.").format(
                date=match_date.strftime("%d.%m.%Y"), season=season_start
            )
            return [(label("season"), message)], None
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
            tournament=tournament,
            venue=venue,
            city=city,
            country=country,
            neutral=neutral,
            matchday=matchday,
            kickoff=kickoff,
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
        return " ".join(text.split()) if "  " in text or "\n" in text or "\t" in text else text

    def _external_id(self, cell: object) -> str:
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
        if not self._key(name):
            raise _RowError(label(field_name), _("Takım adı harf ya da rakam içermiyor: “{value}”.").format(value=name))
        return name

    def _home(self, cell: object) -> str:
        return self._team(cell, "home")

    def _away(self, cell: object) -> str:
        return self._team(cell, "away")

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

    def _home_score(self, cell: object) -> int | None:
        return self._score(cell, "home_score")

    def _away_score(self, cell: object) -> int | None:
        return self._score(cell, "away_score")

    def _date(self, cell: object) -> date:
        if isinstance(cell, datetime):
            value = cell.date()
        elif isinstance(cell, date):
            value = cell
        elif isinstance(cell, str) and cell.strip():
            value = _parse_date_text(cell.strip())
        elif cell is None or cell == "":
            raise _RowError(label("date"), _("Tarih boş."))
        elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
            raise _RowError(label("date"), _("Tarih sayı olarak yazılmış; hücreyi tarih biçimine çevirin."))
        else:
            raise _RowError(label("date"), _("Tarih anlaşılamadı."))
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise _RowError(
                label("date"), _("Tarih makul aralıkta değil ({date}).").format(date=value.strftime("%d.%m.%Y"))
            )
        return value

    def _season(self, cell: object) -> int | None:
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
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise _RowError(label("season"), _("Sezon makul aralıkta değil ({value}).").format(value=year))
        return year

    def _competition(self, cell: object) -> Competition | None:
        text = self._text(cell, "competition")
        if not text:
            return None
        if self._competition_by_key is None:
            # The two competitions of the shipped data always exist, so their files import anywhere.
            ensure_competition(SUPER_LIG)
            ensure_competition(INTERNATIONAL)
            self._competition_by_key = {}
            for competition in Competition.objects.all():
                for spelling in (competition.slug, competition.name, competition.code):
                    if spelling:
                        self._competition_by_key.setdefault(name_key(spelling), competition)
        competition = self._competition_by_key.get(self._key(text))
        if competition is None:
            raise _RowError(label("competition"), _("Bilinmeyen organizasyon: “{value}”.").format(value=text[:60]))
        self.competitions_used.setdefault(competition.id, competition)
        return competition

    def _status(self, cell: object) -> str | None:
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

    def _plain(self, cell: object, field_name: str) -> str:
        text = self._text(cell, field_name)
        if len(text) > TEXT_LIMITS[field_name]:
            raise _RowError(
                label(field_name),
                _("En fazla {limit} karakter olabilir.").format(limit=TEXT_LIMITS[field_name]),
            )
        return text

    def _tournament(self, cell: object) -> str:
        return self._plain(cell, "tournament")

    def _venue(self, cell: object) -> str:
        return self._plain(cell, "venue")

    def _city(self, cell: object) -> str:
        return self._plain(cell, "city")

    def _country(self, cell: object) -> str:
        return self._plain(cell, "country")

    def _neutral(self, cell: object) -> bool:
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

    def _matchday(self, cell: object) -> int | None:
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            return None
        try:
            value = int(float(cell)) if not isinstance(cell, bool) else None
        except (TypeError, ValueError):
            value = None
        if value is None or value < 1 or value > 99 or float(cell) != value:
            raise _RowError(label("matchday"), _("Hafta 1 ile 99 arasında bir tam sayı olmalı."))
        return value

    def _kickoff(self, cell: object) -> datetime | None:
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


def _convert(convert, cell: object) -> object:
    try:
        return convert(cell)
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
