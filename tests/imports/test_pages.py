"""The web page, the admin pages, the status endpoint and the export: who may do what."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from app.football.models import Match
from app.imports.models import ImportFile
from app.imports.services.importing import store_upload
from tests.factories import make_match
from tests.imports.conftest import good_rows, upload_file, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def import_file(importer) -> ImportFile:
    return store_upload(uploaded=upload_file("ornek.xlsx", workbook_bytes(good_rows())), user_id=importer.id)


def page_urls(import_file: ImportFile) -> list[str]:
    return [
        reverse("imports:upload"),
        reverse("imports:detail", args=[import_file.pk]),
        reverse("imports:status", args=[import_file.pk]),
        reverse("imports:export"),
    ]


def test_anonymous_users_are_sent_to_log_in(client, import_file):
    for url in page_urls(import_file):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], url
    response = client.post(reverse("imports:start", args=[import_file.pk]))
    assert response.status_code == 302
    assert ImportFile.objects.get().status == ImportFile.Status.VALIDATED


def test_users_without_the_permission_get_403(client, django_user_model, import_file):
    client.force_login(django_user_model.objects.create_user("seyirci", password="x-Parola-42"))
    for url in page_urls(import_file):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("imports:start", args=[import_file.pk])).status_code == 403
    assert client.post(reverse("imports:upload"), {"files": upload_file("a.xlsx", b"x")}).status_code == 403
    assert ImportFile.objects.count() == 1
    assert client.get(reverse("admin:imports_importfile_add")).status_code == 302  # not staff: admin login


def test_user_with_permission_uploads_previews_and_starts(importer_client):
    response = importer_client.post(
        reverse("imports:upload"), {"files": [upload_file("ornek.xlsx", workbook_bytes(good_rows()))]}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Galatasaray" in page and "Onayla: 3 geçerli satırı içe aktar" in page
    import_file = ImportFile.objects.get()

    response = importer_client.post(reverse("imports:start", args=[import_file.pk]), {"confirm": "1"}, follow=True)

    assert "arka planda başladı" in response.content.decode()
    import_file.refresh_from_db()
    assert import_file.status == ImportFile.Status.RUNNING
    status = importer_client.get(reverse("imports:status", args=[import_file.pk])).json()
    assert status["status"] == "running" and status["total_rows"] == 3 and status["finished"] is False


def test_several_files_at_once_are_each_listed(importer_client):
    files = [upload_file("bir.xlsx", workbook_bytes(good_rows())), upload_file("iki.csv", b"x;y\n1;2\n")]
    response = importer_client.post(reverse("imports:upload"), {"files": files}, follow=True)

    page = response.content.decode()
    assert ImportFile.objects.count() == 2
    assert "bir.xlsx" in page and "iki.csv" in page and "Gerekli sütunlar bulunamadı" in page


def test_admin_lists_every_file_with_uploader_status_and_counts(admin_client, import_file):
    response = admin_client.get(reverse("admin:imports_importfile_changelist"))

    page = response.content.decode()
    assert "ornek.xlsx" in page and "aktarici" in page and "doğrulandı" in page and "Önizle ve içe aktar" in page
    assert reverse("imports:detail", args=[import_file.pk]) in page  # the row's button opens the import page
    response = admin_client.get(reverse("admin:imports_importfile_change", args=[import_file.pk]), follow=True)
    assert response.redirect_chain == [(reverse("imports:detail", args=[import_file.pk]), 302)]
    preview = response.content.decode()
    assert "Sütun eşleştirmesi" in preview and "Fenerbahçe" in preview and "import-start" in preview


def test_admin_upload_accepts_several_files(admin_client):
    # The admin's "add" is the upload page itself.
    assert admin_client.get(reverse("admin:imports_importfile_add"))["Location"] == reverse("imports:upload")
    files = [upload_file("bir.xlsx", workbook_bytes(good_rows())), upload_file("iki.xlsx", workbook_bytes([]))]
    response = admin_client.post(reverse("imports:upload"), {"files": files}, follow=True)

    assert response.status_code == 200
    assert sorted(ImportFile.objects.values_list("status", flat=True)) == ["failed", "validated"]
    assert not Match.objects.exists()


def test_match_admin_action_downloads_the_selection_as_xlsx(admin_client):
    chosen, _other = make_match(), make_match()
    response = admin_client.post(
        reverse("admin:football_match_changelist"),
        {"action": "export_matches_as_xlsx", "_selected_action": [chosen.pk]},
    )

    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    data = rows.to_python()
    assert data[0][0] == "Maç ID" and len(data) == 2 and data[1][0] == chosen.external_id


def test_export_page_filters_matches(importer_client):
    wanted = make_match()
    make_match()
    response = importer_client.get(reverse("imports:export"), {"download": "1", "team": wanted.home_team.name})

    data = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    assert [row[0] for row in data.to_python()[1:]] == [wanted.external_id]


def test_messages_are_turkish_by_default_and_english_on_request(importer_client, import_file):
    url = reverse("imports:detail", args=[import_file.pk])
    turkish = importer_client.get(url).content.decode()
    english = importer_client.get(url, headers={"accept-language": "en"}).content.decode()

    assert "Sütun eşleştirmesi" in turkish and "Onayla: 3 geçerli satırı içe aktar" in turkish
    assert "Column mapping" in english and "Confirm: import 3 valid rows" in english


@pytest.mark.parametrize(
    "status, heading, button",
    [
        (ImportFile.Status.VALIDATED, "Önizleme: ornek.xlsx", "Önizle ve içe aktar"),
        (ImportFile.Status.RUNNING, "İçe aktarılıyor: ornek.xlsx", "İlerlemeyi gör"),
        (ImportFile.Status.DONE, "İçe aktarıldı: ornek.xlsx", "Raporu gör"),
        (ImportFile.Status.FAILED, "İçe aktarılamadı: ornek.xlsx", "Raporu gör"),
    ],
)
def test_heading_and_list_button_follow_the_state_on_both_entries(
    importer_client, admin_client, import_file, status, heading, button
):
    ImportFile.objects.filter(pk=import_file.pk).update(status=status)

    page = importer_client.get(reverse("imports:detail", args=[import_file.pk])).content.decode()
    assert f'<h1 id="import-heading">{heading}</h1>' in page
    for listing in (
        importer_client.get(reverse("imports:upload")).content.decode(),
        admin_client.get(reverse("admin:imports_importfile_changelist")).content.decode(),
    ):
        assert f">{button}</a>" in listing
        if status != ImportFile.Status.VALIDATED:
            assert "Önizle ve içe aktar" not in listing  # a started or finished file is never offered as new


def test_upload_page_states_the_configured_size_limit_and_offers_the_template(importer_client, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 7

    page = importer_client.get(reverse("imports:upload")).content.decode()

    assert "En fazla 7 MB" in page and f'href="{reverse("imports:template")}"' in page
