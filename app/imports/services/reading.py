"""Reading uploaded spreadsheets safely: real format by content, bounded memory, no formulas evaluated.

A file is checked before it is loaded: its true format from its first bytes (not its name), the
unpacked size of every zip member, and the number of rows of the sheet, counted by streaming the
sheet XML, so a zip bomb or a million-row sheet is refused without ever being held in memory.
"""

import codecs
import csv
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import python_calamine
from django.utils.translation import gettext as _

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: legacy .xls, or an encrypted .xlsx
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
CHUNK = 1 << 20

# Row tags with or without a namespace prefix (`<row ` or `<x:row `); `:row` never overlaps
# `<row`, so the counts add up (`<rowBreaks` counts once too: an upper bound is what matters).
_ROW_TAGS = (b"<row", b":row")
_FORMULA_TAGS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/")
# A cell beyond column ZZ: a reader allocates rows x columns, so one far cell can cost gigabytes.
_FAR_COLUMN = re.compile(rb' r="[A-Z]{3}')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?[A-Z]*(\d+)"')
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class UnreadableFile(Exception):
    """The file as a whole cannot be imported; `message` is for the user, in their language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """One sheet of a workbook (or a CSV): header and data rows with their spreadsheet row numbers."""

    header_row: int
    headers: list[str]
    rows: Iterator[tuple[int, list]]
    # (row number, 0-based column) of cells that hold a formula; their values are never used.
    formula_cells: set[tuple[int, int]] = field(default_factory=set)
    # (row number, 0-based column) → "A3:A5" for cells covered by a merged cell (value only in its first cell).
    merged_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    sheet_name: str = ""
    # Visible sheets whose header fits (the preview offers a choice when there are several).
    fitting_sheets: list[str] = field(default_factory=list)
    hidden_sheets: list[str] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)


# How far down a sheet the header row is looked for (title rows, notes above the table).
HEADER_SEARCH_ROWS = 20
HeaderFits = Callable[[list], bool]
# What _find_header returns: ((row number, headers) or None, the rows after it, whether it fits).
_Found = tuple[tuple[int, list[str]] | None, Iterator[tuple[int, list]], bool]


def detect_format(path: Path, original_name: str) -> str:
    """`xlsx`, `csv`, or raises UnreadableFile with a message that says what to do instead."""
    with path.open("rb") as handle:
        head = handle.read(8)
    suffix = PurePosixPath(original_name.lower()).suffix
    if not head:
        raise UnreadableFile(_("Dosya boş."))
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head == OLE2_MAGIC:
        if _is_encrypted_ooxml(path):
            raise _encrypted()
        raise UnreadableFile(
            _(
                "Eski Excel biçimi (.xls) desteklenmiyor. Dosyayı Excel'de açıp "
                "“Farklı Kaydet → Excel Çalışma Kitabı (.xlsx)” ile kaydedin."
            )
        )
    if suffix == ".csv":
        return "csv"
    raise UnreadableFile(
        _("Bu dosya bir Excel çalışma kitabı değil (içeriği .xlsx değil). Lütfen .xlsx ya da .csv dosyası yükleyin.")
    )


def _is_encrypted_ooxml(path: Path) -> bool:
    # An encrypted .xlsx is a Compound File with an "EncryptedPackage" stream; its directory is small
    # and near the start, but reading the whole (size-limited) upload is simple and certain.
    return ENCRYPTED_PACKAGE in path.read_bytes()


def open_table(
    path: Path,
    *,
    file_format: str,
    max_rows: int,
    max_unpacked_bytes: int,
    header_fits: HeaderFits = lambda cells: True,
    sheet: str = "",
) -> Table:
    """The table to import: the header row is the first of the first 20 rows that `header_fits`;
    of a workbook, the requested `sheet`, else the first visible sheet with such a header."""
    if file_format == "csv":
        return _open_csv(path, max_rows=max_rows, header_fits=header_fits)
    return _open_xlsx(
        path, max_rows=max_rows, max_unpacked_bytes=max_unpacked_bytes, header_fits=header_fits, sheet=sheet
    )


# --- xlsx -------------------------------------------------------------------------------------


def _encrypted() -> UnreadableFile:
    return UnreadableFile(
        _("Çalışma kitabı parola korumalı ya da şifreli. Parolayı kaldırıp .xlsx olarak kaydedin ve yeniden yükleyin.")
    )


def _corrupt() -> UnreadableFile:
    return UnreadableFile(_("Çalışma kitabı bozuk ya da okunamıyor. Excel'de açıp yeniden .xlsx olarak kaydedin."))


def _too_many_rows(max_rows: int) -> UnreadableFile:
    return UnreadableFile(
        _(
            "Dosyada çok fazla satır var: en fazla {max_rows} satır içe aktarılabilir. "
            "Dosyayı bölüp ayrı ayrı yükleyin."
        ).format(max_rows=f"{max_rows:,}".replace(",", "."))
    )


def _open_xlsx(path: Path, *, max_rows: int, max_unpacked_bytes: int, header_fits: HeaderFits, sheet: str) -> Table:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise _corrupt() from error
    with archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise UnreadableFile(
                _("Bu dosya bir Excel çalışma kitabı değil (ör. Word ya da OpenDocument dosyası). .xlsx yükleyin.")
            )
        declared = sum(info.file_size for info in archive.infolist())
        if declared > max_unpacked_bytes:
            raise UnreadableFile(
                _("Çalışma kitabı açıldığında çok büyük ({size} MB); en fazla {limit} MB kabul edilir.").format(
                    size=declared // (1 << 20), limit=max_unpacked_bytes // (1 << 20)
                )
            )
        _refuse_doctypes(archive)
        sheets = _sheet_paths(archive)
        if not sheets:
            raise UnreadableFile(_("Çalışma kitabında hiç sayfa yok."))
        visible = [(name, part) for name, part, state in sheets if state in ("", "visible")]
        hidden = [name for name, _part, state in sheets if state not in ("", "visible")]
        if not visible:
            raise UnreadableFile(_("Çalışma kitabında görünür sayfa yok; okunacak sayfayı görünür yapın."))
        if sheet and sheet not in {name for name, _part in visible}:
            raise UnreadableFile(_("“{sheet}” adlı görünür bir sayfa yok.").format(sheet=sheet))
        scans = {}
        for name, part in visible:
            if part not in names:
                raise _corrupt()
            scans[name] = _check_sheet(archive, part, max_rows=max_rows, max_unpacked_bytes=max_unpacked_bytes)
    # Sheets are loaded one at a time and only the chosen one is kept (calamine holds a loaded
    # sheet's cells in memory; its rows become Python objects only as they are iterated).
    fitting: list[str] = []
    chosen: tuple[str, python_calamine.CalamineSheet, _Found] | None = None
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        for name, _part in visible:
            if sheet and name != sheet:
                continue
            loaded = workbook.get_sheet_by_name(name)
            found = _find_header(_safe_iter(_numbered(loaded)), header_fits)
            if found[2]:
                fitting.append(name)
            if chosen is None or (found[2] and len(fitting) == 1):
                chosen = (name, loaded, found)
            del loaded, found
    except python_calamine.PasswordError as error:
        raise _encrypted() from error
    except (python_calamine.CalamineError, ValueError, OSError) as error:
        raise _corrupt() from error
    if chosen is None:  # cannot be: `visible` is not empty and `sheet`, when given, is one of them
        raise _corrupt()
    name, loaded, (header, rows, _fits) = chosen
    if header is None:
        raise UnreadableFile(
            _("“{sheet}” sayfası boş: hiç satır yok.").format(sheet=name)
            if len(visible) > 1
            else _("Dosya boş: hiç satır yok.")
        )
    scan = scans[name]
    formula_cells = set()
    offset = _first_column(loaded)
    if scan.has_formulas:
        with zipfile.ZipFile(path) as archive:
            formula_cells = {(row, col - offset) for row, col in _formula_cells(archive, dict(visible)[name])}
    number, headers = header
    return Table(
        header_row=number,
        headers=headers,
        rows=rows,
        formula_cells=formula_cells,
        merged_cells={(row, col - offset): ref for (row, col), ref in _merged_cells(loaded, number).items()},
        sheet_name=name if len(sheets) > 1 else "",
        fitting_sheets=fitting,
        hidden_sheets=hidden,
        hidden_rows=sorted(r for r in scan.hidden_rows if r > number),
    )


def _numbered(sheet: python_calamine.CalamineSheet) -> Iterator[tuple[int, list]]:
    # iter_rows starts at row 1 (empty rows above the data included), so the numbers are Excel's.
    rows = sheet.iter_rows()
    del sheet  # the sheet's cells (calamine holds them all) are freed once its last row is read
    yield from enumerate(rows, 1)


def _first_column(sheet: python_calamine.CalamineSheet) -> int:
    # ... but at the first used column: cell positions from the XML are shifted by it.
    return (sheet.start or (0, 0))[1]


def _merged_cells(sheet: python_calamine.CalamineSheet, header_row: int) -> dict[tuple[int, int], str]:
    covered = {}
    for (row0, col0), (row1, col1) in sheet.merged_cell_ranges or []:
        if row1 + 1 <= header_row or row0 == row1:
            continue  # above the data, or within one row (a wide cell is harmless)
        ref = f"{_column_letters(col0)}{row0 + 1}:{_column_letters(col1)}{row1 + 1}"
        for row in range(max(row0 + 2, header_row + 1), row1 + 2):
            for col in range(col0, col1 + 1):
                covered[(row, col)] = ref
    return covered


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _refuse_doctypes(archive: zipfile.ZipFile) -> None:
    """No part of a real workbook has a DTD; one that does may expand entities or reach outside.

    Every XML part is scanned whole (a long comment may push a DOCTYPE far down), streamed;
    worksheets are scanned by _check_sheet as it streams them anyway, hidden ones are never read.
    """
    for info in archive.infolist():
        if info.filename.startswith("xl/worksheets/") or not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(info) as stream:
                tail = b""
                while chunk := stream.read(CHUNK):
                    if _has_dtd(tail + chunk):
                        raise _dtd_refused()
                    tail = chunk[-16:]
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as error:
            raise _corrupt() from error


def _has_dtd(data: bytes) -> bool:
    return b"<!DOCTYPE" in data or b"<!ENTITY" in data or b"<!doctype" in data


def _dtd_refused() -> UnreadableFile:
    return UnreadableFile(_("Çalışma kitabında izin verilmeyen XML tanımları (DOCTYPE/ENTITY) var; dosya okunmadı."))


def _safe_iter(rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    try:
        yield from rows
    except python_calamine.CalamineError as error:
        raise _corrupt() from error


def _sheet_paths(archive: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """(name, part path, state) of every sheet in workbook order; state "" / visible / hidden / veryHidden."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError) as error:
        raise _corrupt() from error
    targets: dict[str | None, str] = {}
    for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    sheets = []
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        part = targets.get(sheet.get(f"{_NS_REL}id"))
        if part is None:
            raise _corrupt()
        sheets.append((sheet.get("name", ""), part, sheet.get("state", "")))
    return sheets


@dataclass
class _SheetScan:
    has_formulas: bool
    hidden_rows: set[int]


def _check_sheet(archive: zipfile.ZipFile, sheet_path: str, *, max_rows: int, max_unpacked_bytes: int) -> _SheetScan:
    """Stream the sheet XML once: refuse it above the row or size limit; note formulas and hidden rows."""
    hidden_rows: set[int] = set()
    rows = 0
    unpacked = 0
    has_formulas = False
    tail = b""
    try:
        with archive.open(sheet_path) as stream:
            first = True
            while chunk := stream.read(CHUNK):
                unpacked += len(chunk)
                if unpacked > max_unpacked_bytes:  # the zip directory lied about the size
                    raise UnreadableFile(_("Çalışma kitabı açıldığında izin verilenden büyük; yüklenmedi."))
                if first:
                    first = False
                    declared = _DIMENSION.search(chunk)
                    if declared and int(declared.group(1)) > max_rows + 1:
                        raise _too_many_rows(max_rows)
                data = tail + chunk
                # A tag split across two chunks is found in tail + chunk; tags wholly inside the tail
                # were already counted with the previous chunk. bytes.count is far faster than a regex.
                rows += _count_rows(data) - _count_rows(tail)
                if b"<!" in data and _has_dtd(data):
                    raise _dtd_refused()
                if _FAR_COLUMN.search(data):
                    raise UnreadableFile(
                        _("Sayfada ZZ sütunundan sonra da veri ya da biçim var; bu sütunları silip yeniden kaydedin.")
                    )
                if not has_formulas and (b"<f" in data or b":f" in data) and any(t in data for t in _FORMULA_TAGS):
                    has_formulas = True
                if rows > max_rows + 1:
                    raise _too_many_rows(max_rows)
                if b'hidden="' in data:
                    for tag in _HIDDEN_ROW.findall(data):
                        number = _ROW_NUMBER.search(tag)
                        if number:
                            hidden_rows.add(int(number.group(1)))
                tail = data[-256:]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise _corrupt() from error
    except RuntimeError as error:  # zipfile raises this for an encrypted member
        raise _corrupt() from error
    return _SheetScan(has_formulas=has_formulas, hidden_rows=hidden_rows)


def _count_rows(data: bytes) -> int:
    return sum(data.count(tag) for tag in _ROW_TAGS)


def _formula_cells(archive: zipfile.ZipFile, sheet_path: str) -> set[tuple[int, int]]:
    cells = set()
    try:
        with archive.open(sheet_path) as stream:
            for _event, element in ElementTree.iterparse(stream, events=("end",)):
                if element.tag == f"{_NS_MAIN}c":
                    if element.find(f"{_NS_MAIN}f") is not None:
                        match = _CELL_REF.fullmatch(element.get("r", ""))
                        if match:
                            cells.add((int(match.group(2)), _column_index(match.group(1))))
                elif element.tag == f"{_NS_MAIN}row":
                    element.clear()
    except ElementTree.ParseError as error:
        raise _corrupt() from error
    return cells


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (ord(letter) - 64)
    return index - 1


# --- csv --------------------------------------------------------------------------------------


def _open_csv(path: Path, *, max_rows: int, header_fits: HeaderFits) -> Table:
    """A streamed CSV: a first pass finds the encoding and counts the lines, the rows are read after."""
    encoding, lines = _csv_encoding(path)
    if lines > max_rows + 1:
        raise _too_many_rows(max_rows)
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        sample = handle.read(16384)
    if "\x00" in sample[:8192]:
        raise UnreadableFile(_("Bu dosya metin (CSV) değil. Lütfen .xlsx ya da .csv dosyası yükleyin."))
    try:
        dialect: type[csv.Dialect] = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel

    def rows() -> Iterator[tuple[int, list]]:
        with path.open(encoding=encoding, errors="replace", newline="") as handle:
            reader = csv.reader(handle, dialect)
            try:
                for record in reader:
                    yield reader.line_num, record
            except csv.Error as error:
                raise UnreadableFile(_("CSV dosyası okunamadı: {error}").format(error=error)) from error

    header, data, _fits = _find_header(rows(), header_fits)
    if header is None:
        raise UnreadableFile(_("Dosya boş: hiç satır yok."))
    return Table(header_row=header[0], headers=header[1], rows=data)


def _csv_encoding(path: Path) -> tuple[str, int]:
    """(encoding, line count): UTF-16 by its BOM (Excel's "Unicode text"); UTF-8 (with or without
    BOM) when every byte decodes; else Windows-1254, as Turkish Excel saves CSV. Read in chunks."""
    with path.open("rb") as handle:
        head = handle.read(2)
    if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return "utf-16", _count_lines(path, "utf-16")
        except UnicodeError as error:
            raise UnreadableFile(_("UTF-16 CSV dosyası okunamadı; UTF-8 olarak kaydedin.")) from error
    try:
        return "utf-8-sig", _count_lines(path, "utf-8-sig")
    except UnicodeDecodeError:
        return "cp1254", _count_lines(path, "cp1254", errors="replace")


def _count_lines(path: Path, encoding: str, errors: str = "strict") -> int:
    lines = 0
    with path.open(encoding=encoding, errors=errors, newline="") as handle:
        while chunk := handle.read(CHUNK):
            lines += chunk.count("\n")
    return lines


# --- both -------------------------------------------------------------------------------------


def _is_blank(cells: list) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _find_header(rows: Iterator[tuple[int, list]], header_fits: HeaderFits) -> _Found:
    """((row number, headers) or None, the rows after it, whether it fits).

    The header is the first of the first HEADER_SEARCH_ROWS rows that fits; when none does, the
    first non-blank row (its columns then get the "missing columns" message).
    """
    head = list(islice(rows, HEADER_SEARCH_ROWS))
    first = None
    for position, (number, cells) in enumerate(head):
        if _is_blank(cells):
            continue
        if first is None:
            first = position
        if header_fits(cells):
            return _header(number, cells), chain(head[position + 1 :], rows), True
    if first is None:
        return None, iter(()), False
    return _header(*head[first]), chain(head[first + 1 :], rows), False


def _header(number: int, cells: list) -> tuple[int, list[str]]:
    headers = [str(cell).strip() if cell is not None else "" for cell in cells]
    while headers and not headers[-1]:
        headers.pop()
    return number, headers
