"""A hostile corpus of match workbooks, generated: what staff (or an attacker) may upload.

Each case is a file plus what the importer must say about it, word for word. `test_corpus.py`
runs them all against a database with stored matches; `python -m tests.imports.corpus DIR`
writes the files to look at (or to try by hand in the web page or with `manage.py import_excel`).

Cases whose message depends on today's date (the two-year limit) compute it when built.
"""

import codecs
import csv
import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

SEED = ["match_id", "home_team", "away_team", "home_score", "away_score", "match_date"]
TURKISH = ["Maç ID", "Ev Sahibi", "Deplasman", "Ev Skoru", "Deplasman Skoru", "Tarih"]

CORRUPT = "Çalışma kitabı bozuk ya da okunamıyor. Excel'de açıp yeniden .xlsx olarak kaydedin."
DOCTYPE = "Çalışma kitabında izin verilmeyen XML tanımları (DOCTYPE/ENTITY) var; dosya okunmadı."
NO_ROWS = "Dosyada başlık satırından başka satır yok; içe aktarılacak maç bulunamadı."
FORMULA = "Hücrede formül var; formüller hesaplanmaz, değeri yazın."


def invisible(code: str) -> str:
    return f"Görünmeyen ya da denetim karakteri var ({code}); hücreyi temizleyip yeniden yazın."


def team_start(value: str) -> str:
    return f"Takım adı “=”, “+”, “-” ya da “@” ile başlayamaz: “{value}”."


@dataclass
class Case:
    name: str
    content: bytes
    about: str
    # Refused as a whole: the exact message. Nothing is written.
    file_error: str | None = None
    # Refused rows: exact (row, column, message) of every error. The files hold only those rows,
    # so the import stores nothing at all.
    row_errors: list[tuple[int, str, str]] | None = None
    # Accepted: warnings that must be among the preview's (exact), and what must then be stored.
    warnings: list[str] = field(default_factory=list)
    check: Callable | None = None
    choices: dict | None = None


def xlsx(rows: list[list], headers: list | None = SEED, *, prepare: Callable | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Maçlar"
    if headers:
        sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if prepare:
        prepare(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheets(*named: tuple[str, list[list]], hidden: tuple[str, ...] = ()) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in named:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], headers: list = TURKISH, *, encoding: str = "utf-8", delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def replace_part(content: bytes, part: str, transform: Callable[[bytes], bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, transform(data) if info.filename == part else data)
    return buffer.getvalue()


def with_doctype(data: bytes, doctype: bytes) -> bytes:
    head, sep, rest = data.partition(b"?>")
    return head + sep + doctype + rest if sep else doctype + data


BILLION_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL_ENTITY = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
# After a long comment: a DOCTYPE may come kilobytes into the prolog.
HIDDEN_DOCTYPE = b"<!-- " + b"x" * 20000 + b" -->" + EXTERNAL_ENTITY


def encrypted(content: bytes) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(content)).encrypt("Parola-123", out)
    return out.getvalue()


def legacy_xls() -> bytes:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Maçlar")
    for col, header in enumerate(SEED):
        sheet.write(0, col, header)
    for col, value in enumerate(["x-1", "Galatasaray", "Fenerbahçe", 1, 0, "2023-09-01"]):
        sheet.write(1, col, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def good(n: int = 1) -> list[list]:
    teams = [("Göztepe", "Sivasspor"), ("Kasımpaşa", "Alanyaspor"), ("Rizespor", "Hatayspor")]
    return [[f"c-{i}", *teams[i % 3], 1, 0, date(2023, 10, 1 + i)] for i in range(n)]


def build_corpus(today: date | None = None) -> list[Case]:
    today = today or date.today()
    latest = today + timedelta(days=2 * 365)
    far_future = today + timedelta(days=5 * 365)
    base = xlsx(good(2))
    cases = [
        # --- the file as a whole ------------------------------------------------------------
        Case("bos.xlsx", b"", "empty file", file_error="Dosya boş."),
        Case(
            "eski.xls",
            legacy_xls(),
            "legacy .xls",
            file_error=(
                "Eski Excel biçimi (.xls) desteklenmiyor. Dosyayı Excel'de açıp "
                "“Farklı Kaydet → Excel Çalışma Kitabı (.xlsx)” ile kaydedin."
            ),
        ),
        Case(
            "parolali.xlsx",
            encrypted(base),
            "password-protected",
            file_error=(
                "Çalışma kitabı parola korumalı ya da şifreli. "
                "Parolayı kaldırıp .xlsx olarak kaydedin ve yeniden yükleyin."
            ),
        ),
        Case("yarim.xlsx", base[: len(base) // 2], "truncated download", file_error=CORRUPT),
        Case(
            "metin.xlsx",
            "Bu bir Excel dosyası değil".encode(),
            "text renamed .xlsx",
            file_error=(
                "Bu dosya bir Excel çalışma kitabı değil (içeriği .xlsx değil). "
                "Lütfen .xlsx ya da .csv dosyası yükleyin."
            ),
        ),
        Case(
            "word.xlsx",
            _zip({"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"}),
            "other zip renamed .xlsx",
            file_error="Bu dosya bir Excel çalışma kitabı değil (ör. Word ya da OpenDocument dosyası). .xlsx yükleyin.",
        ),
        Case(
            "kahkaha.xlsx",
            replace_part(base, "xl/worksheets/sheet1.xml", lambda d: with_doctype(d, BILLION_LAUGHS)),
            "entity expansion (billion laughs) in the sheet",
            file_error=DOCTYPE,
        ),
        Case(
            "xxe-paylasilan.xlsx",
            replace_part(xlsx(good(1)), "xl/workbook.xml", lambda d: with_doctype(d, EXTERNAL_ENTITY)),
            "external entity in workbook.xml",
            file_error=DOCTYPE,
        ),
        Case(
            "xxe-stiller.xlsx",
            replace_part(base, "xl/styles.xml", lambda d: with_doctype(d, EXTERNAL_ENTITY)),
            "external entity in styles.xml",
            file_error=DOCTYPE,
        ),
        Case(
            "xxe-gec.xlsx",
            replace_part(base, "xl/styles.xml", lambda d: with_doctype(d, HIDDEN_DOCTYPE)),
            "external entity after a 20 KB comment",
            file_error=DOCTYPE,
        ),
        Case(
            "kahkaha-gec.xlsx",
            replace_part(
                base,
                "xl/worksheets/sheet1.xml",
                lambda d: with_doctype(d, b"<!-- " + b"y" * 9000 + b" -->" + BILLION_LAUGHS),
            ),
            "entity expansion in the sheet after a long comment",
            file_error=DOCTYPE,
        ),
        Case("yalniz-baslik.xlsx", xlsx([]), "header only", file_error=NO_ROWS),
        Case(
            "baslik-yok.xlsx",
            xlsx([["x", "A", 1]], headers=["kimlik?", "takım", "gol"]),
            "no known header",
            file_error=(
                "Gerekli sütunlar bulunamadı: Tarih, Ev Sahibi, Deplasman. Dosyadaki başlıklar: kimlik?, takım, gol. "
                "Kabul edilen başlıklar ör. match_id, match_date, home_team, away_team, home_score, away_score / "
                "Maç ID, Tarih, Ev Sahibi, Deplasman, Ev Skoru, Deplasman Skoru."
            ),
        ),
        Case(
            "yazim-hatasi.xlsx",
            xlsx([["Galatasaray", "Fenerbahçe", date(2023, 9, 1)]], headers=["Ev Sahibi", "Deplasman", "Tarhi"]),
            "misspelt required header",
            file_error=(
                "Gerekli sütunlar bulunamadı: Tarih. Dosyadaki başlıklar: Ev Sahibi, Deplasman, Tarhi. "
                "Kabul edilen başlıklar ör. match_id, match_date, home_team, away_team, home_score, away_score / "
                "Maç ID, Tarih, Ev Sahibi, Deplasman, Ev Skoru, Deplasman Skoru. "
                "“Tarhi” sütunu tanınmadı: “Tarih” mı demek istediniz?"
            ),
        ),
        Case(
            "sayfalar-baslik-yok.xlsx",
            sheets(("Notlar", [["Sezon notları"]]), ("Özet", [["Toplam", 3]])),
            "several sheets, none with a header",
            file_error=(
                "“Notlar” sayfası: Gerekli sütunlar bulunamadı: Tarih, Ev Sahibi, Deplasman. "
                "Dosyadaki başlıklar: Sezon notları. Kabul edilen başlıklar ör. match_id, match_date, home_team, "
                "away_team, home_score, away_score / Maç ID, Tarih, Ev Sahibi, Deplasman, Ev Skoru, Deplasman Skoru."
            ),
        ),
        Case(
            "ms-ve-skor.xlsx",
            xlsx(
                [["Galatasaray", "Fenerbahçe", "2-1", 2, 1, date(2023, 9, 1)]],
                headers=["Ev Sahibi", "Deplasman", "MS", "Ev Skoru", "Deplasman Skoru", "Tarih"],
            ),
            "one-cell score and score columns together",
            file_error="“MS” sütunu ile ayrı skor sütunları birlikte kullanılamaz; birini silin.",
        ),
        Case(
            "iki-tarih.xlsx",
            xlsx(
                [["Galatasaray", "Fenerbahçe", date(2023, 9, 1), date(2023, 9, 1)]],
                headers=["Ev Sahibi", "Deplasman", "Tarih", "Date"],
            ),
            "two date columns",
            file_error="“Tarih” ve “Date” sütunları aynı alanı (Tarih) gösteriyor; birini silin.",
        ),
        Case(
            "tek-skor.xlsx",
            xlsx(
                [["Galatasaray", "Fenerbahçe", 2, date(2023, 9, 1)]],
                headers=["Ev Sahibi", "Deplasman", "Ev Skoru", "Tarih"],
            ),
            "one score column",
            file_error="“Ev Skoru” sütunu var ama “Deplasman Skoru” sütunu yok; skorlar iki sütun olarak birlikte "
            "verilmeli.",
        ),
        Case(
            "utf16-bomsuz.csv",
            csv_bytes([["u-1", "Göztepe", "Sivasspor", 1, 0, "01.10.2023"]], encoding="utf-16-le"),
            "UTF-16 without BOM",
            file_error="Bu dosya metin (CSV) değil. Lütfen .xlsx ya da .csv dosyası yükleyin.",
        ),
        # --- rows: text hygiene -------------------------------------------------------------
        Case(
            "nul.xlsx",
            xlsx([["n-1", "Samsun_x0000_spor", "Sivasspor", 1, 0, date(2023, 10, 1)]]),
            "NUL byte in a team name",
            row_errors=[(2, "Ev Sahibi", invisible("U+0000"))],
        ),
        Case(
            "sifir-genislik.xlsx",
            xlsx([["z-1", "Samsun\u200bspor", "Sivasspor", 1, 0, date(2023, 10, 1)]]),
            "zero-width space in a team name",
            row_errors=[(2, "Ev Sahibi", invisible("U+200B"))],
        ),
        Case(
            "sagdan-sola.xlsx",
            xlsx([["r-1", "Göztepe", "\u202eSivasspor", 1, 0, date(2023, 10, 1)]]),
            "right-to-left override",
            row_errors=[(2, "Deplasman", invisible("U+202E"))],
        ),
        Case(
            "bidi-izole.xlsx",
            xlsx([["r-2", "Göztepe\u2066", "Sivasspor", 1, 0, date(2023, 10, 1)]]),
            "bidi isolate",
            row_errors=[(2, "Ev Sahibi", invisible("U+2066"))],
        ),
        Case(
            "ansi.csv",
            csv_bytes([["a-1", "\x1b[31mGöztepe\x1b[0m", "Sivasspor", 1, 0, "01.10.2023"]]),
            "ANSI escape sequence (CSV)",
            row_errors=[(2, "Ev Sahibi", invisible("U+001B"))],
        ),
        Case(
            "c1.xlsx",
            xlsx([["c1-1", "Göztepe", "Sivas\x85spor", 1, 0, date(2023, 10, 1)]]),
            "C1 control character",
            row_errors=[(2, "Deplasman", invisible("U+0085"))],
        ),
        Case(
            "bom-icinde.xlsx",
            xlsx([["b-1", "Göz\ufeffte", "Sivasspor", 1, 0, date(2023, 10, 1)]]),
            "BOM inside a name",
            row_errors=[(2, "Ev Sahibi", invisible("U+FEFF"))],
        ),
        Case(
            "at-formul.xlsx",
            xlsx([["f-1", "@SUM(1)", "Sivasspor", 1, 0, date(2023, 10, 1)]]),
            "team name starting with @",
            row_errors=[(2, "Ev Sahibi", team_start("@SUM(1)"))],
        ),
        Case(
            "arti-bir.xlsx",
            xlsx([["f-2", "Göztepe", "+1", 1, 0, date(2023, 10, 1)]]),
            "team name +1",
            row_errors=[(2, "Deplasman", team_start("+1"))],
        ),
        Case(
            "eksi.csv",
            csv_bytes([["f-3", "-Göztepe", "Sivasspor", 1, 0, "01.10.2023"]]),
            "team name starting with - (CSV)",
            row_errors=[(2, "Ev Sahibi", team_start("-Göztepe"))],
        ),
        Case(
            "formul.xlsx",
            xlsx([["f-4", "Göztepe", "Sivasspor", "=1+1", 0, date(2023, 10, 1)]]),
            "formula in a score cell",
            row_errors=[(2, "Ev Skoru", FORMULA)],
        ),
        Case(
            "uzun-ad.xlsx",
            xlsx([["l-1", "G" * 121, "Sivasspor", 1, 0, date(2023, 10, 1)]]),
            "team name over 120 characters",
            row_errors=[(2, "Ev Sahibi", "Takım adı en fazla 120 karakter olabilir.")],
        ),
        Case(
            "uzun-stadyum.xlsx",
            xlsx(
                [["Göztepe", "Sivasspor", date(2023, 10, 1), "S" * 161]],
                headers=["Ev Sahibi", "Deplasman", "Tarih", "Stadyum"],
            ),
            "venue over 160 characters",
            row_errors=[(2, "Stadyum", "En fazla 160 karakter olabilir.")],
        ),
        # --- rows: dates and seasons --------------------------------------------------------
        Case(
            "1850.xlsx",
            xlsx([["d-1", "Göztepe", "Sivasspor", 1, 0, "1850-05-01"]]),
            "text date 1850-05-01",
            row_errors=[(2, "Tarih", "Tarih çok eski (01.05.1850): bilinen ilk futbol maçı 30.11.1872'de oynandı.")],
        ),
        Case(
            "gelecek.xlsx",
            xlsx([["d-2", "Göztepe", "Sivasspor", None, None, far_future]]),
            "five years ahead",
            row_errors=[
                (
                    2,
                    "Tarih",
                    f"Tarih çok ileride ({far_future:%d.%m.%Y}): en fazla iki yıl sonrası "
                    f"({latest:%d.%m.%Y}) kabul edilir.",
                )
            ],
        ),
        Case(
            "super-lig-1950.xlsx",
            xlsx([["d-3", "Göztepe", "Sivasspor", 1, 0, date(1950, 9, 10)]]),
            "Süper Lig before 1959",
            row_errors=[(2, "Tarih", "Süper Lig ilk sezonu 1959-60; 1950-51 sezonu olamaz.")],
        ),
        Case(
            "sezon-disi.xlsx",
            xlsx(
                [["Göztepe", "Sivasspor", date(2021, 3, 1), "2023-24"]],
                headers=["Ev Sahibi", "Deplasman", "Tarih", "Sezon"],
            ),
            "date outside the season on its row",
            row_errors=[(2, "Sezon", "Tarih (01.03.2021) 2023-24 sezonuna uymuyor.")],
        ),
        Case(
            "subat-31.xlsx",
            xlsx([["d-4", "Göztepe", "Sivasspor", 1, 0, "31 Şubat 2024"]]),
            "Turkish month name, impossible day",
            row_errors=[(2, "Tarih", "Böyle bir tarih yok: “31 Şubat 2024”.")],
        ),
        Case(
            "yil-sayi.xlsx",
            xlsx([["d-5", "Göztepe", "Sivasspor", 1, 0, 2023]]),
            "a year typed as the date",
            row_errors=[(2, "Tarih", "Tarih sayı olarak yazılmış; hücreyi tarih biçimine çevirin.")],
        ),
        # --- rows: scores and duplicates ----------------------------------------------------
        Case(
            "ms-bozuk.xlsx",
            xlsx(
                [["Göztepe", "Sivasspor", "2-x", date(2023, 10, 1)]], headers=["Ev Sahibi", "Deplasman", "MS", "Tarih"]
            ),
            "unreadable one-cell score",
            row_errors=[(2, "Skor", "Skor “2-1” ya da “2:1” gibi yazılmalı, “2-x” yazılmış.")],
        ),
        Case(
            "skor-yazi.xlsx",
            xlsx([["s-1", "Göztepe", "Sivasspor", "iki", 0, date(2023, 10, 1)]]),
            "words in a score cell",
            row_errors=[(2, "Ev Skoru", "Skor sayı olmalı, “iki” yazılmış.")],
        ),
        Case(
            "skor-eksi.xlsx",
            xlsx([["s-2", "Göztepe", "Sivasspor", 1, -1, date(2023, 10, 1)]]),
            "negative score",
            row_errors=[(2, "Deplasman Skoru", "Skor negatif olamaz (-1).")],
        ),
        Case(
            "kendisiyle.xlsx",
            xlsx([["s-3", "Galatasaray", "GALATASARAY", 1, 0, date(2023, 10, 1)]]),
            "a team playing itself",
            row_errors=[(2, "Deplasman", "Bir takım kendisiyle oynayamaz (Galatasaray).")],
        ),
        Case(
            "ayni-kimlik.xlsx",
            xlsx(
                [
                    ["k-1", "Göztepe", "Sivasspor", 1, 0, date(2023, 10, 1)],
                    ["k-1", "Göztepe", "Sivasspor", 2, 0, date(2023, 10, 1)],
                ]
            ),
            "same id twice, different values",
            row_errors=[
                (
                    row,
                    "Maç ID",
                    (
                        "Maç kimliği “k-1” dosyada birden çok satırda farklı değerlerle var (satır 2, 3); "
                        "hangisinin doğru olduğu bilinmediği için hepsi reddedildi."
                    ),
                )
                for row in (2, 3)
            ],
        ),
        Case(
            "ayni-mac.xlsx",
            xlsx(
                [["Göztepe", "Sivasspor", 1, 0, date(2023, 10, 1)], ["Goztepe", "Sivasspor", 1, 1, date(2023, 10, 1)]],
                headers=["Ev Sahibi", "Deplasman", "Ev Skoru", "Deplasman Skoru", "Tarih"],
            ),
            "same match without ids, different scores",
            row_errors=[
                (
                    row,
                    "Tarih",
                    (
                        "Aynı maç (01.10.2023 Göztepe – Sivasspor) dosyada birden çok satırda farklı değerlerle var "
                        "(satır 2, 3); hangisinin doğru olduğu bilinmediği için hepsi reddedildi."
                    ),
                )
                for row in (2, 3)
            ],
        ),
        Case(
            "birlesik.xlsx",
            xlsx(
                [["Göztepe", "Sivasspor", "iki", 0, date(2023, 10, 1)], ["Rizespor", "Hatayspor", 1, 0, None]],
                headers=["Ev Sahibi", "Deplasman", "Ev Skoru", "Deplasman Skoru", "Tarih"],
                prepare=lambda wb: wb.active.merge_cells("E2:E3"),
            ),
            "a date merged over two rows",
            row_errors=[
                (2, "Ev Skoru", "Skor sayı olmalı, “iki” yazılmış."),
                (3, "Tarih", "Hücre birleştirilmiş (E2:E3); birleştirmeyi kaldırıp her satıra değeri yazın."),
            ],
        ),
    ]
    return cases + accepted_cases(today)


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def accepted_cases(today: date) -> list[Case]:
    """Files that import (some with warnings); `check(import_file, stored)` asserts what was stored."""
    from tests.imports.corpus_checks import (
        check_copies,
        check_encoding,
        check_ev_skor,
        check_fixtures,
        check_kept_scores,
        check_month_names,
        check_score_pairs,
        check_serials,
        check_title_row,
    )

    turkish_rows = [["e-1", "Çaykur Rizespor", "Göztepe", 1, 0, "01.10.2023"]]
    hidden_rows = xlsx(good(3), prepare=lambda wb: setattr(wb.active.row_dimensions[3], "hidden", True))
    return [
        Case(
            "ev-skor.xlsx",
            xlsx(
                [[f"gs-{n}", "Galatasaray", "Fenerbahçe", 2, n, date(2023, 10, n)] for n in (1, 2)],
                headers=["Maç ID", "Ev Sahibi", "Deplasman", "Ev Skor", "Deplasman Skor", "Tarih"],
            ),
            "headers Ev Skor / Deplasman Skor",
            check=check_ev_skor,
        ),
        Case(
            "ev-skor-1254.csv",
            csv_bytes(
                [["gs-1", "Galatasaray", "Fenerbahçe", 2, 1, "01.10.2023"]],
                headers=["Maç ID", "Ev Sahibi", "Deplasman", "Ev Skor", "Deplasman Skor", "Tarih"],
                encoding="cp1254",
            ),
            "Ev Skor headers in a Windows-1254 CSV",
            check=check_ev_skor,
        ),
        Case(
            "skorsuz-yeniden.xlsx",
            xlsx(
                [["gs-fb", "Galatasaray", "Fenerbahçe", date(2023, 9, 1), "x"]],
                headers=["match_id", "home_team", "away_team", "match_date", "Gol Sayısı"],
            ),
            "re-import of a stored match without score columns",
            check=check_kept_scores,
        ),
        Case("utf8-bom.csv", codecs.BOM_UTF8 + csv_bytes(turkish_rows), "UTF-8 with BOM", check=check_encoding),
        Case("utf8.csv", csv_bytes(turkish_rows, delimiter=","), "UTF-8 without BOM", check=check_encoding),
        Case("windows-1254.csv", csv_bytes(turkish_rows, encoding="cp1254"), "Windows-1254", check=check_encoding),
        Case(
            "utf16.csv",
            codecs.BOM_UTF16_LE + csv_bytes(turkish_rows, encoding="utf-16-le", delimiter="\t"),
            "UTF-16 (Excel's Unicode text)",
            check=check_encoding,
        ),
        Case(
            "seri-tarih.xlsx",
            xlsx([["t-1", "Göztepe", "Sivasspor", 1, 0, 45200]]),
            "an Excel serial date",
            check=check_serials,
        ),
        Case(
            "ay-adi.xlsx",
            xlsx(
                [
                    ["t-2", "Göztepe", "Sivasspor", 1, 0, "12 Ağustos 2023"],
                    ["t-3", "Göztepe", "Sivasspor", 1, 0, "3 Eylül 2023"],
                ]
            ),
            "Turkish month names",
            check=check_month_names,
        ),
        Case(
            "ms.xlsx",
            xlsx(
                [
                    ["p-1", "Göztepe", "Sivasspor", "2-1", date(2023, 10, 1)],
                    ["p-2", "Sivasspor", "Göztepe", "2:1", date(2024, 3, 1)],
                ],
                headers=["Maç ID", "Ev Sahibi", "Deplasman", "MS", "Tarih"],
            ),
            "scores 2-1 and 2:1 in one cell",
            check=check_score_pairs,
        ),
        Case(
            "baslik-satiri.xlsx",
            sheets(
                ("Notlar", [["Bu dosya 2023-24 sezonunu içerir"]]),
                ("Maçlar", [["Süper Lig 2023-24 fikstürü"], [], SEED, *good(2)]),
            ),
            "title row above the header, on the second sheet",
            check=check_title_row,
        ),
        Case(
            "iki-sayfa.xlsx",
            sheets(("2023", [SEED, *good(1)]), ("2024", [SEED, *good(1)])),
            "two sheets that both fit",
            warnings=[
                "Birden çok sayfa uygun (2023, 2024); “2023” sayfası okundu. Başka bir sayfayı aşağıdan seçebilirsiniz."
            ],
        ),
        Case(
            "gizli-sayfa.xlsx",
            sheets(("Maçlar", [SEED, *good(1)]), ("Eski", [SEED, *good(1)]), hidden=("Eski",)),
            "a hidden sheet",
            warnings=["Gizli sayfa “Eski” okunmadı; içindekiler içe aktarılmayacak."],
        ),
        Case(
            "gizli-satir.xlsx",
            hidden_rows,
            "a hidden row",
            warnings=["Gizli satırlar var (satır 3); bunlar da içe aktarılacak."],
        ),
        Case(
            "kopya.xlsx",
            xlsx([good(1)[0], good(1)[0]]),
            "an exact copy of a row",
            warnings=["Satır 2, 3 aynı maçın birebir kopyası; bir kez kaydedilecek."],
            check=check_copies,
        ),
        Case(
            "fikstur.xlsx",
            xlsx([[f"fx-{n}", "Samsunspor", "Trabzonspor", None, None, date(2025, 5, n)] for n in (1, 2, 3)]),
            "fixtures into the finished 2024-25 season",
            warnings=[
                "3 yeni maç bitmiş Süper Lig 2024-25 sezonuna ekleniyor; sezonda kayıtlı 1 maç var (satır 2, 3, 4)."
            ],
            check=check_fixtures,
        ),
        Case(
            "yeni-takim.xlsx",
            xlsx([["y-1", "Galatasaray SK", "Fenerbahçe", 1, 0, date(2023, 10, 1)]]),
            "a new team close to a stored one",
            warnings=["Yeni takım oluşturulacak: “Galatasaray SK”. Kayıtlı benzer adlar: Galatasaray."],
        ),
        Case(
            "uzak-tarih.xlsx",
            xlsx([*good(3), ["u-9", "Göztepe", "Sivasspor", 1, 0, date(1993, 10, 1)]]),
            "one date far from the rest",
            warnings=[
                "Satır 5: tarih dosyanın geri kalanından çok uzak (çoğu 01.10.2023 – 03.10.2023 arasında); "
                "yılı kontrol edin."
            ],
        ),
        Case(
            "ev-skr.xlsx",
            xlsx(
                [["gs-fb", "Galatasaray", "Fenerbahçe", 0, 0, date(2023, 9, 1)]],
                headers=["match_id", "home_team", "away_team", "Ev Skr", "Deplasman Skr", "match_date"],
            ),
            "misspelt score headers: suggested, not applied",
            warnings=[
                "“Ev Skr” sütunu tanınmadı: “Ev Skoru” mı demek istediniz? Eşleştirmeyi seçmezseniz bu sütun yok "
                "sayılır.",
                "“Deplasman Skr” sütunu tanınmadı: “Deplasman Skoru” mı demek istediniz? Eşleştirmeyi seçmezseniz "
                "bu sütun yok sayılır.",
            ],
            check=check_kept_scores,
        ),
    ]


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for case in build_corpus():
        path = directory / case.name
        path.write_bytes(case.content)
        written.append(path)
    return written


if __name__ == "__main__":  # python -m tests.imports.corpus var/corpus
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
    django.setup()  # the checks of the accepted cases import the models
    for path in write(Path(sys.argv[1] if len(sys.argv) > 1 else "var/corpus")):
        print(path)
