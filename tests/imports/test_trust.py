"""Issue 9: nothing erased by omission, a preview with field-level changes and a confirm box, the
mapping choice, the command for ops, the export that never fails, and docs derived from the table."""

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from app.football.competitions import INTERNATIONAL, SUPER_LIG, ensure_competition
from app.football.models import Match
from app.imports.models import ImportFile
from app.imports.selectors import change_rows, heading
from app.imports.services.export import EXPORT_COLUMNS, export_matches
from app.imports.services.fields import markdown_table
from app.imports.services.importing import (
    ConfirmationRequired,
    choose_columns,
    run_import,
    start_import,
    store_upload,
)
from tests.factories import make_match, make_season, make_team
from tests.imports.conftest import SEED_HEADERS, workbook_bytes
from tests.imports.corpus import sheets, xlsx

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def stored() -> Match:
    season = make_season(ensure_competition(SUPER_LIG), start_year=2023)
    return make_match(season, make_team("Galatasaray"), make_team("Fenerbahçe"), external_id="gs-fb",
                      date=date(2023, 9, 1), home_score=3, away_score=2)  # fmt: skip


def upload(name: str, content: bytes, **kwargs) -> ImportFile:
    return store_upload(uploaded=SimpleUploadedFile(name, content), user_id=None, **kwargs)


def erasing_file() -> bytes:
    return workbook_bytes([["gs-fb", "Galatasaray", "Fenerbahçe", None, None, date(2023, 9, 1)]])


def test_an_explicit_empty_score_is_shown_as_old_to_new_and_needs_the_box(stored, importer_client):
    import_file = upload("sil.xlsx", erasing_file())

    assert import_file.change_counts == {"new": 0, "changed": 1, "unchanged": 0, "rejected": 0, "erasing": 1}
    # Without a status column the status follows the score, so it changes too.
    assert change_rows(import_file)[0]["fields"] == [("Skor", "3-2", None), ("Durum", "Bitti", "Planlandı")]
    assert import_file.needs_confirmation
    page = importer_client.get(reverse("imports:detail", args=[import_file.pk])).content.decode()
    assert "Skor: 3-2 → boş" in page and 'name="confirm"' in page

    with pytest.raises(ConfirmationRequired):
        start_import(import_file_id=import_file.pk)
    response = importer_client.post(reverse("imports:start", args=[import_file.pk]), follow=True)
    assert "kutuyu işaretleyin" in response.content.decode()
    import_file.refresh_from_db()
    assert import_file.status == ImportFile.Status.VALIDATED
    stored.refresh_from_db()
    assert (stored.home_score, stored.away_score) == (3, 2)


def test_a_changed_team_and_date_are_listed_field_by_field(stored):
    make_team("Beşiktaş")
    content = workbook_bytes([["gs-fb", "Galatasaray", "Besiktas", 3, 2, date(2023, 9, 2)]])
    import_file = upload("degis.xlsx", content)

    assert change_rows(import_file)[0]["fields"] == [
        ("Tarih", "01.09.2023", "02.09.2023"),
        ("Deplasman", "Fenerbahçe", "Beşiktaş"),
    ]
    assert not import_file.needs_confirmation  # nothing erased, no new team or season
    run_import(import_file_id=import_file.pk)
    assert Match.objects.get(external_id="gs-fb").away_team.name == "Beşiktaş"


def test_a_suggested_mapping_is_applied_only_when_chosen(stored):
    content = xlsx([["gs-fb", "Galatasaray", "Fenerbahçe", 0, 0, date(2023, 9, 1)]],
                   headers=["match_id", "home_team", "away_team", "Ev Skr", "Deplasman Skr", "match_date"])  # fmt: skip
    import_file = upload("oneri.xlsx", content)
    assert import_file.change_counts["unchanged"] == 1
    assert [s["field"] for s in import_file.column_mapping["suggestions"]] == ["home_score", "away_score"]

    chosen = choose_columns(
        import_file_id=import_file.pk, columns={"Ev Skr": "home_score", "Deplasman Skr": "away_score"}
    )
    assert change_rows(chosen)[0]["fields"] == [("Skor", "3-2", "0-0")]
    run_import(import_file_id=chosen.pk)
    assert Match.objects.get(external_id="gs-fb").home_score == 0


def test_a_misspelt_required_header_can_be_mapped_in_the_preview(importer_client):
    content = xlsx([["Galatasaray", "Fenerbahçe", date(2023, 9, 1)]], headers=["Ev Sahibi", "Deplasman", "Tarhi"])
    import_file = upload("tarhi.xlsx", content)
    assert import_file.status == ImportFile.Status.FAILED
    page = importer_client.get(reverse("imports:detail", args=[import_file.pk])).content.decode()
    assert "bunu mu demek istediniz?" in page

    importer_client.post(reverse("imports:mapping", args=[import_file.pk]), {"header": ["Tarhi"], "field": ["date"]})
    import_file.refresh_from_db()
    assert import_file.status == ImportFile.Status.VALIDATED and import_file.valid_rows == 1


def test_the_other_fitting_sheet_can_be_chosen():
    seed = SEED_HEADERS
    content = sheets(("2023", [seed, ["a-1", "Göztepe", "Sivasspor", 1, 0, date(2023, 10, 1)]]),
                     ("2024", [seed, ["b-1", "Göztepe", "Sivasspor", 2, 2, date(2024, 10, 1)]]))  # fmt: skip
    import_file = upload("sayfalar.xlsx", content)
    assert import_file.sheet_name == "2023" and import_file.column_mapping["sheets"] == ["2023", "2024"]

    chosen = choose_columns(import_file_id=import_file.pk, columns={}, sheet="2024")
    assert chosen.sheet_name == "2024" and chosen.preview_rows[0]["external_id"] == "b-1"


def run_command(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("import_excel", *args, stdout=out)
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


def test_command_dry_run_writes_nothing_and_yes_imports(tmp_path, stored, django_user_model):
    django_user_model.objects.create_user("operator")
    path = tmp_path / "yeni.xlsx"
    path.write_bytes(workbook_bytes([["n-1", "Göztepe", "Sivasspor", 1, 0, date(2023, 10, 1)]]))
    before = Match.objects.count()

    code, out = run_command(str(path), "--dry-run", "--yes")
    assert code == 0 and "Deneme: hiçbir şey yazılmadı." in out and Match.objects.count() == before

    code, out = run_command(str(path))  # new teams: the web page would ask for the box
    assert code == 1 and "--yes" in out and Match.objects.count() == before

    code, out = run_command(str(path), "--yes", "--json", "--user", "operator")
    report = json.loads(out)
    assert code == 0 and report["outcome"] == "imported" and report["counts"]["created"] == 1
    assert "Yeni takım oluşturulacak: “Göztepe”." in report["warnings"]
    assert ImportFile.objects.get(pk=report["import_id"]).uploaded_by.username == "operator"


def test_command_reports_row_errors_changes_and_applies_map(tmp_path, stored):
    path = tmp_path / "skr.xlsx"
    headers = ["match_id", "home_team", "away_team", "Ev Skr", "Deplasman Skr", "match_date"]
    rows = [["gs-fb", "Galatasaray", "Fenerbahçe", 1, 1, date(2023, 9, 1)],
            ["x-2", "@SUM(1)", "Fenerbahçe", 1, 1, date(2023, 9, 2)]]  # fmt: skip
    path.write_bytes(xlsx(rows, headers=headers))
    code, out = run_command(str(path), "--json", "--yes")  # --yes confirms warnings, never applies a guess
    assert code == 0 and json.loads(out)["suggestions"][0]["field"] == "home_score"
    assert Match.objects.get(external_id="gs-fb").home_score == 3
    code, out = run_command(str(path), "--json", "--map", "Ev Skr=home_score", "--map", "Deplasman Skr=away_score")
    report = json.loads(out)
    assert code == 0 and report["counts"]["updated"] == 1 and report["counts"]["rejected"] == 1
    message = "Takım adı “=”, “+”, “-” ya da “@” ile başlayamaz: “@SUM(1)”."
    assert report["errors"] == [{"row": 3, "column": "Ev Sahibi", "message": message}]
    assert report["changes"][0]["fields"] == [["Skor", "3-2", "1-1"]]
    assert Match.objects.get(external_id="gs-fb").home_score == 1


def test_command_exit_status_for_refused_files_and_usage_errors(tmp_path):
    bad = tmp_path / "bos.xlsx"
    bad.write_bytes(b"")
    assert run_command(str(bad))[0] == 1
    for args in ([str(tmp_path / "yok.xlsx")], [str(bad), "--map", "Tarih"], [str(bad), "--map", "Tarih=tarihce"],
                 [str(bad), "--user", "kimse"]):  # fmt: skip
        with pytest.raises(CommandError) as raised:
            call_command("import_excel", *args)
        assert raised.value.returncode == 2


def test_export_neutralises_illegal_characters_and_has_a_frozen_filtered_header(stored):
    # PostgreSQL refuses NUL itself; other control characters are stored (e.g. by older imports).
    make_match(stored.season, make_team("Samsun\x07spor"), make_team("Rize\x1bspor"), tournament="=HYPERLINK(1)")
    buffer = io.BytesIO()
    assert export_matches(Match.objects.all(), buffer) == 2

    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert [cell.value for cell in sheet[1]] == EXPORT_COLUMNS
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:P3"
    assert sheet.column_dimensions["E"].width >= len("Galatasaray")
    values = {cell.value for row in sheet.iter_rows(min_row=2) for cell in row}
    assert "Samsun\ufffdspor" in values and "Rize\ufffdspor" in values and "'=HYPERLINK(1)" in values


def test_export_team_filter_accepts_import_spellings(importer_client):
    besiktas = make_team("Beşiktaş")
    make_match(make_season(start_year=2023), besiktas, make_team("Konyaspor"), external_id="bjk")
    response = importer_client.get(reverse("imports:export"), {"team": "Besiktas", "download": "1"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["bjk"]


def test_template_workbook_is_the_field_table_and_imports_cleanly(importer_client):
    response = importer_client.get(reverse("imports:template"))
    content = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(content))
    assert [cell.value for cell in workbook["Maçlar"][1]] == EXPORT_COLUMNS
    assert workbook["Alanlar"].max_row == 1 + len(markdown_table().splitlines()) - 2

    import_file = upload("sablon.xlsx", content)
    assert import_file.status == ImportFile.Status.VALIDATED and import_file.rejected_count == 0, import_file.row_errors


def test_headings_follow_the_state_and_the_export_page_is_titled_export(importer_client, admin_client):
    import_file = upload("durum.xlsx", workbook_bytes([["h-1", "Göztepe", "Sivasspor", 1, 0, date(2023, 10, 1)]]))
    url = reverse("imports:detail", args=[import_file.pk])
    assert '<h1 id="import-heading">Önizleme: durum.xlsx</h1>' in importer_client.get(url).content.decode()
    run_import(import_file_id=import_file.pk)
    page = importer_client.get(url).content.decode()
    assert '<h1 id="import-heading">İçe aktarıldı: durum.xlsx</h1>' in page
    listing = importer_client.get(reverse("imports:upload")).content.decode()
    assert "Raporu gör" in listing and "Önizle ve içe aktar" not in listing
    admin = admin_client.get(reverse("admin:imports_importfile_change", args=[import_file.pk]), follow=True)
    admin = admin.content.decode()
    assert "İçe aktarıldı: durum.xlsx" in admin
    export = importer_client.get(reverse("imports:export")).content.decode()
    assert "<title>Excel olarak dışa aktarma" in export


def test_docs_show_the_field_table_as_declared():
    docs = (ROOT / "docs" / "imports.md").read_text(encoding="utf-8")
    assert markdown_table() in docs, (
        "regenerate the table: python manage.py shell -c "
        "'from app.imports.services.fields import markdown_table; print(markdown_table())'"
    )


def test_without_a_competition_column_a_stored_match_stays_in_its_competition(stored):
    international = ensure_competition(INTERNATIONAL)
    season = make_season(international, start_year=2023)
    match = make_match(season, make_team("Türkiye"), make_team("Galler"), external_id="tr-gal", date=date(2023, 11, 21))
    content = workbook_bytes([["tr-gal", "Türkiye", "Galler", 2, 2, date(2023, 11, 21)]])
    import_file = upload("milli.xlsx", content)

    assert change_rows(import_file)[0]["fields"] == [("Skor", "1-0", "2-2")]
    run_import(import_file_id=import_file.pk)
    match.refresh_from_db()
    assert match.season == season and (match.home_score, match.away_score) == (2, 2)


def test_run_import_reports_every_change_with_old_values_for_undo(stored):
    recorded = []
    import_file = upload("geri.xlsx", erasing_file())
    run_import(import_file_id=import_file.pk, on_changes=recorded.extend)
    (change,) = recorded
    assert change.match_id == stored.pk and change.old == {"home_score": 3, "away_score": 2, "status": "FINISHED"}


def test_many_new_teams_are_listed_one_by_one_then_in_one_line():
    rows = [[f"m-{n}", f"Kulüp {n:02d}", f"Takım {n:02d}", 1, 0, date(2023, 10, 1)] for n in range(20)]
    import_file = upload("yeni-lig.xlsx", workbook_bytes(rows))
    messages = [w["message"] for w in import_file.warnings if w["kind"] == "new_team"]
    assert len(messages) == 31 and messages[0] == "Yeni takım oluşturulacak: “Kulüp 00”."
    assert (
        messages[-1] == "10 yeni takım daha oluşturulacak: " + ", ".join(f"Takım {n:02d}" for n in range(10, 20)) + "."
    )


def test_an_undone_import_is_headed_as_undone():
    from types import SimpleNamespace

    undone = SimpleNamespace(original_name="geri.xlsx", status=ImportFile.Status.DONE, is_undone=True)
    assert heading(undone) == "Geri alındı: geri.xlsx"
