"""Matches out to .xlsx, in exactly the layout the importer reads back (a round trip changes nothing)."""

from collections.abc import Iterable, Iterator
from typing import BinaryIO

from django.db.models import QuerySet
from django.utils import timezone, translation
from openpyxl import Workbook

from app.football.models import Match

# Header texts are fixed Turkish (not translated): the file is a data format the importer reads
# in any language of the site.
EXPORT_COLUMNS = [
    "Maç ID", "Organizasyon", "Sezon", "Tarih", "Ev Sahibi", "Deplasman", "Ev Skoru", "Deplasman Skoru",
    "Durum", "Turnuva", "Hafta", "Stadyum", "Şehir", "Ülke", "Tarafsız Saha", "Başlama Saati",
]  # fmt: skip
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading quote; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def match_rows(queryset: QuerySet[Match]) -> Iterator[list]:
    with translation.override("tr"):
        status_labels = {choice.value: str(choice.label) for choice in Match.Status}
    fields = (
        "external_id", "season__competition__name", "season__name", "date", "home_team__name", "away_team__name",
        "home_score", "away_score", "status", "tournament", "matchday", "venue", "city", "country", "neutral",
        "kickoff",
    )  # fmt: skip
    for values in queryset.order_by("date", "id").values_list(*fields).iterator(chunk_size=5000):
        row = list(values)
        row[8] = status_labels.get(row[8], row[8])
        if row[15] is not None:
            row[15] = timezone.localtime(row[15]).replace(tzinfo=None)
        yield row


def write_xlsx(rows: Iterable[list], destination: BinaryIO | str, *, headers: list[str] = EXPORT_COLUMNS) -> int:
    """Write rows with openpyxl's write-only mode (constant memory); returns the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Maçlar")
    sheet.append(headers)
    count = 0
    for row in rows:
        sheet.append([neutralise(value) for value in row])
        count += 1
    workbook.save(destination)
    return count


def export_matches(queryset: QuerySet[Match], destination: BinaryIO | str) -> int:
    return write_xlsx(match_rows(queryset), destination)
