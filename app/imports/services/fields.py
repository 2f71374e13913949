"""The import's field table: every column a match file may have, declared once.

Column mapping (`columns`), the checks (`validation`, through `converter`), the export, the
template workbook and the table in docs/imports.md are all derived from `FIELDS`. Adding a field
is one entry here (plus its model field and migration, and its converter if it needs a new one).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from app.football.models import Match
from app.football.naming import name_key


@dataclass(frozen=True)
class ImportField:
    name: str
    # Turkish msgid; the English label is its translation (app/imports/locale/en).
    label: Promise
    # Accepted header spellings, compared by name_key: case, Turkish İ/ı, accents, spaces and
    # underscores do not matter ("Maç ID" == "mac_id" == "MAÇ  ID").
    headers: tuple[str, ...]
    # Name of the validator method (`_<converter>`) turning a cell into the field's value.
    converter: str
    # Fixed Turkish column header of the export and the template (None: not exported). Not
    # translated: the file is a data format the importer reads in any language of the site.
    export_header: str | None = None
    # Match.values() path of the exported value.
    export_value: str | None = None
    required: bool = False
    example: object = None
    note: Promise | str = ""


FIELDS: tuple[ImportField, ...] = (
    ImportField(
        "external_id", _("Maç ID"),
        ("match_id", "match id", "maç id", "maç kimliği", "id", "external_id", "dış kimlik", "maç no",
         "maç numarası", "kimlik"),
        "external_id", "Maç ID", "external_id", example="tsl-2023-001",
        note=_("isteğe bağlı; yoksa tarih + ev sahibi + deplasmandan sabit bir kimlik üretilir"),
    ),
    ImportField(
        "competition", _("Organizasyon"), ("competition", "organizasyon", "lig", "league"),
        "competition", "Organizasyon", "season__competition__name", example="Süper Lig",
        note=_("organizasyonun adı, kısa adı ya da kodu; yoksa yüklemede seçilen organizasyon"),
    ),
    ImportField(
        "season", _("Sezon"), ("season", "sezon"), "season", "Sezon", "season__name", example="2023-24",
        note=_("2023-24, 2023/2024 ya da 2023; yoksa tarihten (ligde Temmuz–Haziran)"),
    ),
    ImportField(
        "date", _("Tarih"), ("match_date", "date", "tarih", "maç tarihi", "match date", "maç günü"),
        "date", "Tarih", "date", required=True, example="2023-08-11",
        note=_("Excel tarihi, 2024-05-19, 19.05.2024, 19/05/2024 ya da 12 Ağustos 2023; 1872-11-30 ile iki yıl "
               "sonrası arasında"),
    ),
    ImportField(
        "home", _("Ev Sahibi"),
        ("home_team", "home", "ev sahibi", "ev sahibi takım", "ev sahibi takımı", "ev", "home team", "ev takımı"),
        "team", "Ev Sahibi", "home_team__name", required=True, example="Galatasaray",
        note=_("takma adlarıyla eşleşir (Besiktas = Beşiktaş); olmayan takım oluşturulur (önizlemede uyarı)"),
    ),
    ImportField(
        "away", _("Deplasman"),
        ("away_team", "away", "visitor", "deplasman", "deplasman takımı", "misafir", "misafir takım", "away team",
         "konuk", "konuk takım", "dep"),
        "team", "Deplasman", "away_team__name", required=True, example="Fenerbahçe",
    ),
    ImportField(
        "home_score", _("Ev Skoru"),
        ("home_score", "hgoal", "home goals", "home score", "ev skoru", "ev skor", "ev sahibi skoru", "ev sahibi skor",
         "ev sahibi gol", "ev sahibi golü", "ev gol", "ev golü", "ev sahibi goller", "fthg"),
        "score", "Ev Skoru", "home_score", example=2,
        note=_("iki skor birlikte; boş ya da NA = oynanmadı (sütun hiç yoksa kayıtlı skor korunur)"),
    ),
    ImportField(
        "away_score", _("Deplasman Skoru"),
        ("away_score", "vgoal", "away goals", "away score", "deplasman skoru", "deplasman skor", "deplasman gol",
         "deplasman golü", "misafir skoru", "misafir gol", "konuk skoru", "dep skor", "dep gol", "ftag"),
        "score", "Deplasman Skoru", "away_score", example=1,
    ),
    ImportField(
        "score", _("Skor"), ("score", "skor", "sonuç", "ms", "maç sonucu", "maç skoru", "full time score"),
        "score_pair", None, None, example="2-1",
        note=_("iki skor tek hücrede: 2-1 ya da 2:1 (ayrı skor sütunlarıyla birlikte kullanılamaz)"),
    ),
    ImportField(
        "status", _("Durum"), ("status", "durum", "maç durumu"), "status", "Durum", "status", example="Bitti",
        note=_("Bitti/Finished/FINISHED…; yoksa skor varsa bitti, yoksa planlandı"),
    ),
    ImportField(
        "tournament", _("Turnuva"), ("tournament", "turnuva"), "text_field", "Turnuva", "tournament",
        example="Süper Lig",
    ),
    ImportField(
        "matchday", _("Hafta"), ("matchday", "hafta", "round", "week", "tur"), "matchday", "Hafta", "matchday",
        example=1,
    ),
    ImportField(
        "venue", _("Stadyum"), ("venue", "stadyum", "stadium", "stat"), "text_field", "Stadyum", "venue",
        example="RAMS Park",
    ),
    ImportField("city", _("Şehir"), ("city", "şehir", "il"), "text_field", "Şehir", "city", example="İstanbul"),
    ImportField("country", _("Ülke"), ("country", "ülke"), "text_field", "Ülke", "country", example="Türkiye"),
    ImportField(
        "neutral", _("Tarafsız Saha"), ("neutral", "tarafsız", "tarafsız saha", "neutral venue"), "neutral",
        "Tarafsız Saha", "neutral", example=False, note=_("Evet/Hayır, TRUE/FALSE, 1/0"),
    ),
    ImportField(
        "kickoff", _("Başlama Saati"), ("kickoff", "başlama saati", "saat", "kick off", "utc date"), "kickoff",
        "Başlama Saati", "kickoff", example="2023-08-11 21:45", note=_("yerel saat (Europe/Istanbul) ya da ISO 8601"),
    ),
)  # fmt: skip

FIELD_BY_NAME = {field.name: field for field in FIELDS}
FIELD_NAMES = tuple(field.name for field in FIELDS)
REQUIRED = tuple(field.name for field in FIELDS if field.required)
EXPORTED = tuple(field for field in FIELDS if field.export_header)
# Fields whose converter gives the value of the Match (and MatchRecord) field of the same name,
# stored as it is; the others are combined (teams → ids, date/season/competition → season…).
PLAIN = tuple(field.name for field in FIELDS if field.converter in ("text_field", "neutral", "matchday", "kickoff"))


# Text limits follow the model's columns.
def _max_length(name: str) -> int:
    column = Match._meta.get_field(name)
    if not isinstance(column, models.CharField) or column.max_length is None:
        raise TypeError(f"Match.{name} is not a text column with a length: a text_field must be one")
    return column.max_length


TEXT_LIMITS = {f.name: _max_length(f.name) for f in FIELDS if f.converter == "text_field"}
HEADER_LOOKUP: dict[str, str] = {}
for _field in FIELDS:
    for _spelling in _field.headers:
        # One spelling, one field: a clash here is a bug in the table.
        assert HEADER_LOOKUP.setdefault(name_key(_spelling), _field.name) == _field.name, _spelling


def label(name: str) -> str:
    return str(FIELD_BY_NAME[name].label)


def markdown_table() -> str:
    """The field table as docs/imports.md shows it (a test keeps the two equal)."""
    from django.utils import translation

    lines = [
        "| field | label (tr / en) | accepted headers (any of) | export column | notes |",
        "|---|---|---|---|---|",
    ]
    for field in FIELDS:
        with translation.override("tr"):
            turkish = str(field.label)
        with translation.override("en"):
            english, note = str(field.label), str(field.note)
        headers = ", ".join(f"`{header}`" for header in field.headers)
        export = f"`{field.export_header}`" if field.export_header else "—"
        name = f"`{field.name}`" + ("*" if field.required else "")
        lines.append(f"| {name} | {turkish} / {english} | {headers} | {export} | {note} |")
    return "\n".join(lines)
