"""Every kind of bad input gets a clear Turkish message, and stored matches stay exactly as they were."""

import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from app.football.models import Match
from app.imports.models import ImportFile
from app.imports.services.importing import UploadRejected, run_import, store_upload
from tests.imports.conftest import SEED_HEADERS, good_rows, snapshot, upload_file, workbook_bytes

pytestmark = pytest.mark.django_db


def upload_and_import(name: str, content: bytes) -> ImportFile:
    """Upload (dry run) and, when the file passed as a whole, import it for real."""
    import_file = store_upload(uploaded=upload_file(name, content), user_id=None)
    if import_file.status == ImportFile.Status.VALIDATED:
        import_file = run_import(import_file_id=import_file.pk)
    return import_file


def assert_file_refused(import_file: ImportFile, fragment: str, before: list) -> None:
    assert import_file.status == ImportFile.Status.FAILED
    assert fragment in import_file.error_message
    assert snapshot() == before


def assert_row_refused(import_file: ImportFile, row: int, column: str, fragment: str, before: list) -> None:
    errors = [e for e in import_file.row_errors if e["row"] == row]
    assert errors, import_file.row_errors
    assert errors[0]["column"] == column and fragment in errors[0]["message"]
    assert import_file.rejected_count == 1
    # the good rows went in, the bad one did not; what was stored before is untouched
    assert set(snapshot()) >= set(before)
    assert Match.objects.count() == len(before) + len(good_rows())


def test_missing_columns_are_named_in_the_message(stored_match):
    before = snapshot()
    content = workbook_bytes([["x", "A", 1]], headers=["kimlik?", "takım", "gol"])
    import_file = upload_and_import("yanlis.xlsx", content)
    assert_file_refused(import_file, "Gerekli sütunlar bulunamadı: Tarih, Ev Sahibi, Deplasman", before)
    assert "kimlik?, takım, gol" in import_file.error_message


def test_one_score_column_without_the_other_is_refused(stored_match):
    before = snapshot()
    content = workbook_bytes([["A", "B", 1, date(2023, 1, 1)]], headers=["home_team", "away_team", "home_score",
                                                                          "match_date"])  # fmt: skip
    assert_file_refused(upload_and_import("tek-skor.xlsx", content), "“Ev Skoru” sütunu var", before)


def test_empty_file_is_refused(stored_match):
    before = snapshot()
    assert_file_refused(upload_and_import("bos.xlsx", b""), "Dosya boş", before)


def test_empty_workbook_is_refused(stored_match):
    before = snapshot()
    assert_file_refused(upload_and_import("bos.xlsx", workbook_bytes([], headers=None)), "Dosya boş", before)


def test_header_only_file_is_refused(stored_match):
    before = snapshot()
    import_file = upload_and_import("baslik.xlsx", workbook_bytes([]))
    assert_file_refused(import_file, "başlık satırından başka satır yok", before)


def test_text_in_a_score_cell_rejects_that_row(stored_match):
    before = snapshot()
    rows = [*good_rows(), ["t-9", "Rizespor", "Samsunspor", "iki", 1, date(2023, 9, 9)]]
    import_file = upload_and_import("metin.xlsx", workbook_bytes(rows))
    assert_row_refused(import_file, 5, "Ev Skoru", "Skor sayı olmalı, “iki” yazılmış", before)


def test_negative_score_rejects_that_row(stored_match):
    before = snapshot()
    rows = [*good_rows(), ["t-9", "Rizespor", "Samsunspor", 1, -2, date(2023, 9, 9)]]
    import_file = upload_and_import("negatif.xlsx", workbook_bytes(rows))
    assert_row_refused(import_file, 5, "Deplasman Skoru", "Skor negatif olamaz (-2)", before)


def test_impossible_date_rejects_that_row(stored_match):
    before = snapshot()
    rows = [*good_rows(), ["t-9", "Rizespor", "Samsunspor", 1, 0, "2023-02-30"]]
    import_file = upload_and_import("tarih.xlsx", workbook_bytes(rows))
    assert_row_refused(import_file, 5, "Tarih", "Böyle bir tarih yok: “2023-02-30”", before)


def test_unreadable_date_rejects_that_row(stored_match):
    before = snapshot()
    rows = [*good_rows(), ["t-9", "Rizespor", "Samsunspor", 1, 0, "geçen salı"]]
    import_file = upload_and_import("tarih.xlsx", workbook_bytes(rows))
    assert_row_refused(import_file, 5, "Tarih", "Tarih anlaşılamadı", before)


def test_duplicate_match_id_with_other_values_rejects_every_copy(stored_match):
    before = snapshot()
    rows = [*good_rows(), ["t-1", "Rizespor", "Samsunspor", 1, 0, date(2023, 9, 9)]]
    import_file = upload_and_import("cift.xlsx", workbook_bytes(rows))
    message = (
        "Maç kimliği “t-1” dosyada birden çok satırda farklı değerlerle var (satır 2, 5); "
        "hangisinin doğru olduğu bilinmediği için hepsi reddedildi."
    )
    assert [(e["row"], e["message"]) for e in import_file.row_errors] == [(2, message), (5, message)]
    assert import_file.rejected_count == 2 and not Match.objects.filter(external_id="t-1").exists()
    assert set(snapshot()) >= set(before)


def test_team_playing_itself_rejects_that_row(stored_match):
    before = snapshot()
    rows = [*good_rows(), ["t-9", "Beşiktaş", "BESIKTAS", 1, 0, date(2023, 9, 9)]]
    import_file = upload_and_import("kendisi.xlsx", workbook_bytes(rows))
    assert_row_refused(import_file, 5, "Deplasman", "Bir takım kendisiyle oynayamaz", before)


def test_formula_cells_are_never_evaluated(stored_match):
    before = snapshot()
    rows = [*good_rows(), ["t-9", "Rizespor", "Samsunspor", "=1+1", 0, date(2023, 9, 9)]]
    import_file = upload_and_import("formul.xlsx", workbook_bytes(rows))
    assert_row_refused(import_file, 5, "Ev Skoru", "formül", before)


def test_formula_in_a_team_cell_is_refused(stored_match):
    before = snapshot()
    rows = [*good_rows(), ["t-9", '=HYPERLINK("http://kotu.example","x")', "Samsunspor", 1, 0, date(2023, 9, 9)]]
    import_file = upload_and_import("formul.xlsx", workbook_bytes(rows))
    assert_row_refused(import_file, 5, "Ev Sahibi", "formül", before)


def test_password_protected_workbook_is_refused(stored_match):
    before = snapshot()
    # What Excel writes for a workbook with a password to open: a Compound File holding an
    # "EncryptedPackage" stream (header and the stream name are what matter here).
    content = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    )
    assert_file_refused(upload_and_import("parolali.xlsx", content), "parola korumalı", before)


def test_legacy_xls_gets_save_as_xlsx_advice(stored_match):
    before = snapshot()
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 64
    assert_file_refused(upload_and_import("eski.xls", content), "Farklı Kaydet", before)


def test_corrupt_workbook_is_refused(stored_match):
    before = snapshot()
    content = workbook_bytes(good_rows())
    assert_file_refused(upload_and_import("bozuk.xlsx", content[: len(content) // 2]), "bozuk", before)


def test_text_file_renamed_xlsx_is_refused(stored_match):
    before = snapshot()
    content = "match_id,home_team\nbu bir metin dosyası\n".encode()
    assert_file_refused(upload_and_import("notlar.txt.xlsx", content), "Excel çalışma kitabı değil", before)


def test_other_zip_renamed_xlsx_is_refused(stored_match):
    before = snapshot()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert_file_refused(upload_and_import("belge.xlsx", buffer.getvalue()), "Excel çalışma kitabı değil", before)


def test_zip_bomb_is_refused_before_it_is_unpacked(stored_match, settings):
    settings.IMPORT_MAX_UNPACKED_MB = 5
    before = snapshot()
    content = workbook_bytes(good_rows())
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            bomb.writestr(info, source.read(info))
        bomb.writestr("xl/media/bomba.bin", b"\x00" * (50 * 1024 * 1024))  # 50 MB of zeros, ~50 KB packed
    assert len(buffer.getvalue()) < 1024 * 1024
    assert_file_refused(upload_and_import("bomba.xlsx", buffer.getvalue()), "açıldığında çok büyük", before)


def test_huge_sheet_is_refused_above_the_row_limit_without_loading_it(stored_match, settings):
    settings.IMPORT_MAX_ROWS = 1000
    before = snapshot()
    workbook = Workbook(write_only=True)  # no <dimension>: the rows are counted while streaming
    sheet = workbook.create_sheet()
    sheet.append(SEED_HEADERS)
    for n in range(1500):
        sheet.append([f"b-{n}", "A Takımı", "B Takımı", 1, 0, date(2023, 9, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    import_file = upload_and_import("buyuk.xlsx", buffer.getvalue())
    assert_file_refused(import_file, "en fazla 1.000 satır", before)


def test_too_large_upload_is_not_stored(stored_match, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    before = snapshot()
    with pytest.raises(UploadRejected, match="çok büyük"):
        store_upload(uploaded=upload_file("iri.xlsx", b"PK\x03\x04" + b"\x00" * (2 * 1024 * 1024)), user_id=None)
    assert not ImportFile.objects.exists() and snapshot() == before


def test_path_in_file_name_is_never_used_as_a_path(stored_match, _media_root):
    before = snapshot()
    import_file = upload_and_import("../../etc/passwd.xlsx", workbook_bytes(good_rows()))
    assert import_file.original_name == "passwd.xlsx"
    stored = import_file.file.path
    assert stored.startswith(str(_media_root / "imports")) and "passwd" not in stored and ".." not in stored
    assert import_file.status == ImportFile.Status.DONE and set(snapshot()) >= set(before)


def test_unknown_file_type_is_not_stored(stored_match):
    with pytest.raises(UploadRejected, match="desteklenmeyen dosya türü"):
        store_upload(uploaded=upload_file("resim.png", b"\x89PNG...."), user_id=None)
    assert not ImportFile.objects.exists()


def test_cell_far_to_the_right_is_refused_before_loading(stored_match):
    before = snapshot()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(SEED_HEADERS)
    sheet.append(good_rows()[0])
    sheet["XFD3"] = "uzakta"  # 16,384 columns wide: a dense reader would allocate rows x 16,384 cells
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert_file_refused(upload_and_import("genis.xlsx", buffer.getvalue()), "ZZ sütunundan sonra", before)


def test_csv_cell_starting_with_equals_is_treated_as_a_formula(stored_match):
    before = snapshot()
    text = "match_id,home_team,away_team,home_score,away_score,match_date\n"
    text += "".join(f"{r[0]},{r[1]},{r[2]},{r[3]},{r[4]},{r[5]:%Y-%m-%d}\n" for r in good_rows())
    text += "t-9,\"=cmd|' /C calc'!A0\",Samsunspor,1,0,2023-09-09\n"
    import_file = upload_and_import("formul.csv", text.encode())
    assert_row_refused(import_file, 5, "Ev Sahibi", "formül", before)


def test_true_false_in_a_score_cell_is_not_taken_for_one_or_zero(stored_match):
    before = snapshot()
    rows = [*good_rows(), ["t-9", "Rizespor", "Samsunspor", True, 1, date(2023, 9, 9)]]
    import_file = upload_and_import("mantiksal.xlsx", workbook_bytes(rows))
    assert_row_refused(import_file, 5, "Ev Skoru", "Skor sayı olmalı", before)
