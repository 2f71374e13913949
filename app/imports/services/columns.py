"""Which spreadsheet column holds which match field, whatever language or spelling the header uses.

A header that matches no spelling of the field table is never dropped in silence: when it
resembles one (rapidfuzz), the preview asks "did you mean …?", and the mapping is applied only
when a person chooses it (`choices`, from the preview or `--map HEADER=field`).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from app.football.naming import name_key
from app.imports.services.fields import FIELD_BY_NAME, FIELDS, HEADER_LOOKUP, REQUIRED, label
from app.imports.services.reading import UnreadableFile

# Similarity (0-100, rapidfuzz's normalised Indel ratio) from which an unknown header is offered
# as a known field. 80 catches "Ev Skr", "Tarhi", "Deplasmn Skoru" and not "Hakem" or "Not".
SUGGESTION_CUTOFF = 80
_SPELLINGS = list(HEADER_LOOKUP)
SCORE_PAIR = "score"
SCORE_COLUMNS = ("home_score", "away_score")


@dataclass
class ColumnMapping:
    """field name → 0-based column index; headers that matched nothing, with suggestions."""

    columns: dict[str, int]
    headers: list[str]
    ignored: list[str]
    # {"header": …, "field": …, "score": …} for ignored headers that resemble a field not mapped yet.
    suggestions: list[dict] = field(default_factory=list)
    chosen: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict:
        # A list of pairs, not a dict: PostgreSQL's jsonb does not keep key order.
        pairs = sorted((index, self.headers[index], name) for name, index in self.columns.items())
        return {
            "columns": [[header, name] for _index, header, name in pairs],
            "ignored": self.ignored,
            "suggestions": self.suggestions,
            "chosen": self.chosen,
        }


def recognised_fields(headers: list) -> set[str]:
    """Fields the header spellings of a row name (to find the header row of a sheet)."""
    return {HEADER_LOOKUP[key] for key in (name_key(str(h)) for h in headers if h is not None) if key in HEADER_LOOKUP}


def suggest(header: str, taken: set[str]) -> dict | None:
    """The known field an unrecognised header most resembles, if it is close enough and not mapped yet."""
    key = name_key(header)
    if len(key) < 4:  # "gol" would resemble "hgoal": too short to guess from
        return None
    best = process.extractOne(key, _SPELLINGS, scorer=fuzz.ratio, score_cutoff=SUGGESTION_CUTOFF)
    if best is None:
        return None
    name = HEADER_LOOKUP[best[0]]
    if (
        name in taken
        or (name in SCORE_COLUMNS and SCORE_PAIR in taken)
        or (name == SCORE_PAIR and "home_score" in taken)
    ):
        return None
    return {"header": header, "field": name, "score": round(best[1])}


def map_columns(headers: list[str], choices: dict[str, str] | None = None, *, sheet: str = "") -> ColumnMapping:
    """Match headers to fields; raises UnreadableFile when required ones are missing or doubled.

    `choices`: header → field name (or "" to ignore it) chosen by a person; they win over spellings.
    """
    choices = choices or {}
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        name = choices[header] if header in choices else HEADER_LOOKUP.get(name_key(header))
        if not name:
            ignored.append(header)
            continue
        if name in columns:
            raise UnreadableFile(
                _("“{first}” ve “{second}” sütunları aynı alanı ({field}) gösteriyor; birini silin.").format(
                    first=headers[columns[name]], second=header, field=label(name)
                )
            )
        columns[name] = index
    taken = set(columns)
    suggestions = []
    for header in ignored:
        if header in choices:
            continue  # ignored on purpose
        suggestion = suggest(header, taken)
        if suggestion:
            suggestions.append(suggestion)
            taken.add(suggestion["field"])
    mapping = ColumnMapping(columns=columns, headers=headers, ignored=ignored, suggestions=suggestions,
                            chosen={h: f for h, f in choices.items() if h in headers})  # fmt: skip
    _check_required(mapping, sheet)
    return mapping


class MissingColumns(UnreadableFile):
    """Required columns are missing; carries the mapping so the preview can offer its suggestions."""

    def __init__(self, message: str, mapping: ColumnMapping) -> None:
        super().__init__(message)
        self.mapping = mapping


def _check_required(mapping: ColumnMapping, sheet: str) -> None:
    columns = mapping.columns
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        message = _(
            "Gerekli sütunlar bulunamadı: {missing}. Dosyadaki başlıklar: {found}. "
            "Kabul edilen başlıklar ör. {examples}."
        ).format(
            missing=", ".join(label(name) for name in missing),
            found=", ".join(h for h in mapping.headers if h) or "—",
            examples="match_id, match_date, home_team, away_team, home_score, away_score / "
            "Maç ID, Tarih, Ev Sahibi, Deplasman, Ev Skoru, Deplasman Skoru",
        )
        if sheet:
            message = _("“{sheet}” sayfası: {message}").format(sheet=sheet, message=message)
        message += "".join(" " + did_you_mean(s) for s in mapping.suggestions)
        raise MissingColumns(message, mapping)
    if SCORE_PAIR in columns and any(name in columns for name in SCORE_COLUMNS):
        raise UnreadableFile(
            _("“{pair}” sütunu ile ayrı skor sütunları birlikte kullanılamaz; birini silin.").format(
                pair=mapping.headers[columns[SCORE_PAIR]]
            )
        )
    if ("home_score" in columns) != ("away_score" in columns):
        present, absent = ("home_score", "away_score") if "home_score" in columns else ("away_score", "home_score")
        raise UnreadableFile(
            _("“{present}” sütunu var ama “{absent}” sütunu yok; skorlar iki sütun olarak birlikte verilmeli.").format(
                present=label(present), absent=label(absent)
            )
        )


def did_you_mean(suggestion: dict) -> str:
    return _("“{header}” sütunu tanınmadı: “{field}” mı demek istediniz?").format(
        header=suggestion["header"], field=label(suggestion["field"])
    )


def field_choices() -> list[tuple[str, str]]:
    """(field name, label) of every field, for the mapping choice in the preview."""
    return [(f.name, str(f.label)) for f in FIELDS]


def known_field(name: str) -> bool:
    return name in FIELD_BY_NAME
