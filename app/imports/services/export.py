"""Matches out to .xlsx, in exactly the layout the importer reads back (a round trip changes nothing).

The columns are the field table's (`fields.EXPORTED`); the template workbook staff can download
is the same header with an example row and a sheet describing each field.
"""

from collections.abc import Iterable, Iterator
from typing import BinaryIO

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from app.football.models import Match
from app.imports.services.fields import EXPORTED, FIELDS

EXPORT_COLUMNS: list[str] = [field.export_header for field in EXPORTED if field.export_header]
# An exported field without its own values() path is exported under its name.
_VALUES = tuple(field.export_value or field.name for field in EXPORTED)
_STATUS_AT = _VALUES.index("status")
_KICKOFF_AT = _VALUES.index("kickoff")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Column widths in characters: wide enough for the usual content, never wider than a screen's third.
_MIN_WIDTH, _MAX_WIDTH = 8, 40
_WIDTH_SAMPLE = 200  # rows looked at to size the columns (write-only mode sets widths before rows)


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading quote; characters that XML
    cannot hold (NUL, other control characters) become U+FFFD, so any stored text can be exported."""
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if ILLEGAL_CHARACTERS_RE.search(value) else value
        return "'" + text if text.startswith(_FORMULA_STARTS) else text
    return value


def match_rows(queryset: QuerySet[Match]) -> Iterator[list]:
    with translation.override("tr"):
        status_labels = {choice.value: str(choice.label) for choice in Match.Status}
    for values in queryset.order_by("date", "id").values_list(*_VALUES).iterator(chunk_size=5000):
        row = list(values)
        row[_STATUS_AT] = status_labels.get(row[_STATUS_AT], row[_STATUS_AT])
        if row[_KICKOFF_AT] is not None:
            row[_KICKOFF_AT] = timezone.localtime(row[_KICKOFF_AT]).replace(tzinfo=None)
        yield row


def write_xlsx(
    rows: Iterable[list], destination: BinaryIO | str, *, headers: list[str] = EXPORT_COLUMNS, sheet: str = "Maçlar"
) -> int:
    """Write rows with openpyxl's write-only mode (constant memory); returns the number of data rows.

    Frozen header row, an autofilter over the data and column widths from the first rows.
    """
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    iterator = iter(rows)
    head = [row for _n, row in zip(range(_WIDTH_SAMPLE), iterator, strict=False)]
    for index, header in enumerate(headers):
        width = max([len(str(header))] + [_width(row[index]) for row in head if index < len(row)])
        worksheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
    worksheet.freeze_panes = "A2"
    worksheet.append(headers)
    count = 0
    for row in _chain(head, iterator):
        worksheet.append([neutralise(value) for value in row])
        count += 1
    worksheet.auto_filter.ref = f"A1:{get_column_letter(max(len(headers), 1))}{count + 1}"
    workbook.save(destination)
    return count


def _chain(head: list, rest: Iterator) -> Iterator:
    yield from head
    yield from rest


def _width(value: object) -> int:
    if value is None:
        return 0
    if hasattr(value, "hour"):
        return 16
    if hasattr(value, "year"):
        return 10
    return len(str(value))


def export_matches(queryset: QuerySet[Match], destination: BinaryIO | str) -> int:
    return write_xlsx(match_rows(queryset), destination)


def write_template(destination: BinaryIO | str) -> None:
    """The template workbook: the export's header with one example row, and a sheet describing each
    field (accepted headers, notes) in the current language. Generated from the field table."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Maçlar"
    sheet.append(EXPORT_COLUMNS)
    sheet.append([field.example for field in EXPORTED])
    sheet.freeze_panes = "A2"
    for index, header in enumerate(EXPORT_COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = max(len(header) + 4, 12)
    guide = workbook.create_sheet("Alanlar")
    guide.append(_guide_headers())
    for field in FIELDS:
        guide.append([
            field.export_header or "", str(field.label), "✓" if field.required else "", ", ".join(field.headers),
            str(field.note),
        ])  # fmt: skip
    for letter, width in zip("ABCDE", (18, 18, 8, 60, 80), strict=True):
        guide.column_dimensions[letter].width = width
    guide.freeze_panes = "A2"
    workbook.save(destination)


def _guide_headers() -> list[str]:
    return [_("Sütun"), _("Alan"), _("Zorunlu"), _("Kabul edilen başlıklar"), _("Açıklama")]
