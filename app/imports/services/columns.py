"""Which spreadsheet column holds which match field, whatever language or spelling the header uses."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from app.football.naming import name_key
from app.imports.services.reading import UnreadableFile

# Field → (label shown to users, accepted header spellings). Headers are compared by name_key, so
# case, accents, Turkish letters, spaces and underscores do not matter ("Maç ID" == "mac_id").
FIELDS: dict[str, tuple] = {
    "external_id": (gettext_lazy("Maç ID"), ["match_id", "match id", "maç id", "maç kimliği", "id", "external_id",
                                              "dış kimlik", "maç no"]),
    "competition": (gettext_lazy("Organizasyon"), ["competition", "organizasyon", "lig", "league"]),
    "season": (gettext_lazy("Sezon"), ["season", "sezon"]),
    "date": (gettext_lazy("Tarih"), ["match_date", "date", "tarih", "maç tarihi", "match date"]),
    "home": (gettext_lazy("Ev Sahibi"), ["home_team", "home", "ev sahibi", "ev sahibi takım", "ev", "home team"]),
    "away": (gettext_lazy("Deplasman"), ["away_team", "away", "visitor", "deplasman", "deplasman takımı", "misafir",
                                         "away team", "konuk"]),
    "home_score": (gettext_lazy("Ev Skoru"), ["home_score", "hgoal", "home goals", "ev skoru", "ev sahibi skoru",
                                              "ev sahibi gol", "ev golü", "home score"]),
    "away_score": (gettext_lazy("Deplasman Skoru"), ["away_score", "vgoal", "away goals", "deplasman skoru",
                                                     "deplasman gol", "deplasman golü", "misafir skoru", "away score"]),
    "status": (gettext_lazy("Durum"), ["status", "durum"]),
    "tournament": (gettext_lazy("Turnuva"), ["tournament", "turnuva"]),
    "matchday": (gettext_lazy("Hafta"), ["matchday", "hafta", "round", "week"]),
    "venue": (gettext_lazy("Stadyum"), ["venue", "stadyum", "stadium", "stat"]),
    "city": (gettext_lazy("Şehir"), ["city", "şehir"]),
    "country": (gettext_lazy("Ülke"), ["country", "ülke"]),
    "neutral": (gettext_lazy("Tarafsız Saha"), ["neutral", "tarafsız", "tarafsız saha", "neutral venue"]),
    "kickoff": (gettext_lazy("Başlama Saati"), ["kickoff", "başlama saati", "saat", "kick off", "utc date"]),
}  # fmt: skip
REQUIRED = ("date", "home", "away")
_LOOKUP = {name_key(spelling): field for field, (_label, spellings) in FIELDS.items() for spelling in spellings}


@dataclass
class ColumnMapping:
    """field name → 0-based column index, plus the headers that matched nothing."""

    columns: dict[str, int]
    headers: list[str]
    ignored: list[str]

    def as_json(self) -> dict:
        # A list of pairs, not a dict: PostgreSQL's jsonb does not keep key order.
        pairs = sorted((index, self.headers[index], field) for field, index in self.columns.items())
        return {"columns": [[header, field] for _index, header, field in pairs], "ignored": self.ignored}


def label(field: str) -> str:
    return str(FIELDS[field][0])


def map_columns(headers: list[str]) -> ColumnMapping:
    """Match headers to fields; raises UnreadableFile when required ones are missing or doubled."""
    columns: dict[str, int] = {}
    ignored = []
    for index, header in enumerate(headers):
        field = _LOOKUP.get(name_key(header)) if header else None
        if field is None:
            if header:
                ignored.append(header)
            continue
        if field in columns:
            raise UnreadableFile(
                _("“{first}” ve “{second}” sütunları aynı alanı ({field}) gösteriyor; birini silin.").format(
                    first=headers[columns[field]], second=header, field=label(field)
                )
            )
        columns[field] = index
    missing = [field for field in REQUIRED if field not in columns]
    if missing:
        raise UnreadableFile(
            _(
                "Gerekli sütunlar bulunamadı: {missing}. Dosyadaki başlıklar: {found}. "
                "Kabul edilen başlıklar ör. {examples}."
            ).format(
                missing=", ".join(label(field) for field in missing),
                found=", ".join(h for h in headers if h) or "—",
                examples="match_id, match_date, home_team, away_team, home_score, away_score / "
                "Maç ID, Tarih, Ev Sahibi, Deplasman, Ev Skoru, Deplasman Skoru",
            )
        )
    if ("home_score" in columns) != ("away_score" in columns):
        present, absent = ("home_score", "away_score") if "home_score" in columns else ("away_score", "home_score")
        raise UnreadableFile(
            _("“{present}” sütunu var ama “{absent}” sütunu yok; skorlar iki sütun olarak birlikte verilmeli.").format(
                present=label(present), absent=label(absent)
            )
        )
    return ColumnMapping(columns=columns, headers=headers, ignored=ignored)
