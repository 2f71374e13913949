"""Reading uploaded spreadsheets safely: real format by content, bounded memory, no formulas evaluated.

A file is checked before it is loaded: its true format from its first bytes (not its name), the
unpacked size of every zip member, and the number of rows of the sheet, counted by streaming the
sheet XML, so a zip bomb or a million-row sheet is refused without ever being held in memory.
"""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
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
    """The first sheet of a workbook (or a CSV): header and data rows with their spreadsheet row numbers."""

    header_row: int
    headers: list[str]
    rows: Iterator[tuple[int, list]]
    # (row number, 0-based column) of cells that hold a formula; their values are never used.
    formula_cells: set[tuple[int, int]] = field(default_factory=set)


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


def open_table(path: Path, *, file_format: str, max_rows: int, max_unpacked_bytes: int) -> Table:
    if file_format == "csv":
        return _open_csv(path, max_rows=max_rows)
    return _open_xlsx(path, max_rows=max_rows, max_unpacked_bytes=max_unpacked_bytes)


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


def _open_xlsx(path: Path, *, max_rows: int, max_unpacked_bytes: int) -> Table:
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
        sheet_path = _first_sheet_path(archive)
        if sheet_path not in names:
            raise _corrupt()
        has_formulas = _check_sheet(archive, sheet_path, max_rows=max_rows, max_unpacked_bytes=max_unpacked_bytes)
        formula_cells = _formula_cells(archive, sheet_path) if has_formulas else set()
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        if not workbook.sheet_names:
            raise UnreadableFile(_("Çalışma kitabında hiç sayfa yok."))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except python_calamine.PasswordError as error:
        raise _encrypted() from error
    except python_calamine.CalamineError as error:
        raise _corrupt() from error
    except (ValueError, OSError) as error:
        raise _corrupt() from error
    # iter_rows starts at A1, so enumerate(…, 1) is the row number the user sees in Excel.
    return _with_header(_safe_iter(enumerate(rows, 1)), formula_cells)


def _safe_iter(rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    try:
        yield from rows
    except python_calamine.CalamineError as error:
        raise _corrupt() from error


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        sheet = workbook.find(f"{_NS_MAIN}sheets/{_NS_MAIN}sheet")
        if sheet is None:
            raise UnreadableFile(_("Çalışma kitabında hiç sayfa yok."))
        rel_id = sheet.get(f"{_NS_REL}id")
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError) as error:
        raise _corrupt() from error
    for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return str(PurePosixPath("xl") / target)
    raise _corrupt()


def _check_sheet(archive: zipfile.ZipFile, sheet_path: str, *, max_rows: int, max_unpacked_bytes: int) -> bool:
    """Stream the sheet XML once: refuse it above the row or size limit; report whether it has formulas."""
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
                if _FAR_COLUMN.search(data):
                    raise UnreadableFile(
                        _("Sayfada ZZ sütunundan sonra da veri ya da biçim var; bu sütunları silip yeniden kaydedin.")
                    )
                if not has_formulas and (b"<f" in data or b":f" in data) and any(t in data for t in _FORMULA_TAGS):
                    has_formulas = True
                if rows > max_rows + 1:
                    raise _too_many_rows(max_rows)
                tail = data[-16:]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise _corrupt() from error
    except RuntimeError as error:  # zipfile raises this for an encrypted member
        raise _corrupt() from error
    return has_formulas


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


def _open_csv(path: Path, *, max_rows: int) -> Table:
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise UnreadableFile(_("Bu dosya metin (CSV) değil. Lütfen .xlsx ya da .csv dosyası yükleyin."))
    text = _decode(raw)
    if text.count("\n") > max_rows + 1:
        raise _too_many_rows(max_rows)
    sample = text[:16384]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)

    def rows() -> Iterator[tuple[int, list]]:
        try:
            for record in reader:
                yield reader.line_num, record
        except csv.Error as error:
            raise UnreadableFile(_("CSV dosyası okunamadı: {error}").format(error=error)) from error

    return _with_header(rows(), set())


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) first; Turkish Excel saves CSV as Windows-1254 otherwise."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1254", errors="replace")


# --- both -------------------------------------------------------------------------------------


def _is_blank(cells: list) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _with_header(rows: Iterator[tuple[int, list]], formula_cells: set[tuple[int, int]]) -> Table:
    for number, cells in rows:
        if not _is_blank(cells):
            headers = [str(cell).strip() if cell is not None else "" for cell in cells]
            while headers and not headers[-1]:
                headers.pop()
            return Table(header_row=number, headers=headers, rows=rows, formula_cells=formula_cells)
    raise UnreadableFile(_("Dosya boş: hiç satır yok."))
