"""Both entries to the import workflow (the /ice-aktar/ pages and the admin) ask for the same permissions.

The permissions are the admin's own for ImportFile plus the two custom ones (app.imports.selectors):
view (or change) to see files, add to upload, change to choose a mapping, `import_matches` to start,
`undo_import` to undo, `export_matches` to export. One test per permission and entry: allowed → the
page (or its redirect), missing → 403 on the site's Turkish page, anonymous → the login page.
"""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from app.football.models import Match
from app.imports.models import ImportFile
from app.imports.services.importing import run_import, store_upload
from app.imports.services.undo import latest_undo
from app.imports.undo_models import ImportUndo
from tests.imports.conftest import SEED_HEADERS, good_rows, upload_file, workbook_bytes

pytestmark = pytest.mark.django_db

REFUSED = "Erişim izni yok"  # the heading of the site's (and the admin's) 403 page


def staff(django_user_model, client: Client, *codenames: str) -> Client:
    user = django_user_model.objects.create_user("u-" + "-".join(codenames or ("none",)), password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return client


@pytest.fixture
def import_file(db) -> ImportFile:
    return store_upload(uploaded=upload_file("ornek.xlsx", workbook_bytes(good_rows())), user_id=None)


def assert_refused(response) -> None:
    assert response.status_code == 403
    assert REFUSED in response.content.decode()


def assert_sent_to_login(response, *, admin: bool) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login") if admin else reverse("login"))


# --- seeing files and reports: view_importfile (or change_importfile) -------------------------------------
Url = Callable[[ImportFile], str]
VIEW_ENTRIES: dict[str, Url] = {
    "admin changelist": lambda f: reverse("admin:imports_importfile_changelist"),
    "admin row": lambda f: reverse("admin:imports_importfile_change", args=[f.pk]),
    "import page": lambda f: reverse("imports:detail", args=[f.pk]),
    "status json": lambda f: reverse("imports:status", args=[f.pk]),
    "undo status json": lambda f: reverse("imports:undo_status", args=[f.pk]),
}


@pytest.mark.parametrize("codename", ["view_importfile", "change_importfile"])
@pytest.mark.parametrize("entry", VIEW_ENTRIES)
def test_view_or_change_importfile_opens_every_entry_to_a_file(client, django_user_model, import_file, entry, codename):
    staff(django_user_model, client, codename)

    response = client.get(VIEW_ENTRIES[entry](import_file), follow=True)

    assert response.status_code == 200


@pytest.mark.parametrize("entry", VIEW_ENTRIES)
def test_without_view_importfile_every_entry_to_a_file_is_refused(client, django_user_model, import_file, entry):
    # May upload and import, but not see the files: a 403 on both entries, never the report.
    staff(django_user_model, client, "add_importfile", "import_matches", "view_match")

    response = client.get(VIEW_ENTRIES[entry](import_file))

    assert_refused(response)
    assert "ornek.xlsx" not in response.content.decode()


@pytest.mark.parametrize("entry", VIEW_ENTRIES)
def test_anonymous_visitors_of_a_file_are_sent_to_log_in(client, import_file, entry):
    assert_sent_to_login(client.get(VIEW_ENTRIES[entry](import_file)), admin=entry.startswith("admin"))


# --- uploading: add_importfile ---------------------------------------------------------------------------
ADD_ENTRIES: dict[str, Url] = {
    "admin add": lambda f: reverse("admin:imports_importfile_add"),
    "upload page": lambda f: reverse("imports:upload"),
    "template workbook": lambda f: reverse("imports:template"),
}


@pytest.mark.parametrize("entry", ADD_ENTRIES)
def test_add_importfile_opens_the_upload_on_both_entries(client, django_user_model, import_file, entry):
    staff(django_user_model, client, "add_importfile")

    response = client.get(ADD_ENTRIES[entry](import_file), follow=True)

    assert response.status_code == 200
    if entry != "template workbook":
        assert 'id="import-upload-form"' in response.content.decode()


@pytest.mark.parametrize("entry", ADD_ENTRIES)
def test_without_add_importfile_the_upload_is_refused_on_both_entries(client, django_user_model, import_file, entry):
    staff(django_user_model, client, "view_importfile", "change_importfile", "import_matches")

    assert_refused(client.get(ADD_ENTRIES[entry](import_file)))


def test_without_add_importfile_nothing_is_stored(client, django_user_model):
    staff(django_user_model, client, "view_importfile", "import_matches")

    response = client.post(reverse("imports:upload"), {"files": upload_file("a.xlsx", workbook_bytes(good_rows()))})

    assert_refused(response)
    assert not ImportFile.objects.exists()


def test_add_importfile_stores_an_upload(client, django_user_model):
    staff(django_user_model, client, "add_importfile")

    response = client.post(reverse("imports:upload"), {"files": upload_file("a.xlsx", workbook_bytes(good_rows()))})

    import_file = ImportFile.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[import_file.pk])


@pytest.mark.parametrize("entry", ADD_ENTRIES)
def test_anonymous_uploaders_are_sent_to_log_in(client, import_file, entry):
    assert_sent_to_login(client.get(ADD_ENTRIES[entry](import_file)), admin=entry.startswith("admin"))


# --- choosing the mapping: change_importfile ----------------------------------------------------------------
def mapping(client: Client, import_file: ImportFile):
    return client.post(reverse("imports:mapping", args=[import_file.pk]), {"header": ["match_id"], "field": [""]})


def test_change_importfile_chooses_the_mapping(client, django_user_model, import_file):
    staff(django_user_model, client, "change_importfile")

    response = mapping(client, import_file)

    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[import_file.pk])
    import_file.refresh_from_db()
    assert import_file.column_choices["columns"] == {"match_id": ""}


def test_without_change_importfile_the_mapping_is_refused(client, django_user_model, import_file):
    staff(django_user_model, client, "view_importfile", "add_importfile", "import_matches")

    assert_refused(mapping(client, import_file))
    import_file.refresh_from_db()
    assert import_file.column_choices == {}


def test_the_mapping_form_is_offered_only_with_change_importfile(client, django_user_model):
    headers = [*SEED_HEADERS, "Tarhi"]  # a column the importer does not know: the form offers a field for it
    import_file = store_upload(uploaded=upload_file("tarhi.xlsx", workbook_bytes(good_rows(), headers)), user_id=None)
    url = reverse("imports:detail", args=[import_file.pk])
    staff(django_user_model, client, "view_importfile")
    assert 'id="import-mapping-form"' not in client.get(url).content.decode()
    client.logout()
    staff(django_user_model, client, "change_importfile")
    assert 'id="import-mapping-form"' in client.get(url).content.decode()


def test_anonymous_mapping_is_sent_to_log_in(client, import_file):
    assert_sent_to_login(mapping(client, import_file), admin=False)


# --- starting the import: import_matches --------------------------------------------------------------------
def start(client: Client, import_file: ImportFile):
    return client.post(reverse("imports:start", args=[import_file.pk]), {"confirm": "1"})


def test_import_matches_starts_the_import(client, django_user_model, import_file):
    staff(django_user_model, client, "view_importfile", "import_matches")

    assert start(client, import_file).status_code == 302
    import_file.refresh_from_db()
    assert import_file.status == ImportFile.Status.RUNNING


def test_without_import_matches_the_start_is_refused_and_not_offered(client, django_user_model, import_file):
    staff(django_user_model, client, "view_importfile", "add_importfile", "change_importfile")

    assert 'id="import-start"' not in client.get(reverse("imports:detail", args=[import_file.pk])).content.decode()
    assert_refused(start(client, import_file))
    import_file.refresh_from_db()
    assert import_file.status == ImportFile.Status.VALIDATED and not Match.objects.exists()


def test_anonymous_start_is_sent_to_log_in(client, import_file):
    assert_sent_to_login(start(client, import_file), admin=False)
    import_file.refresh_from_db()
    assert import_file.status == ImportFile.Status.VALIDATED


# --- undoing: undo_import --------------------------------------------------------------------------------------
@pytest.fixture
def imported(import_file) -> ImportFile:
    return run_import(import_file_id=import_file.pk)


def undo(client: Client, import_file: ImportFile):
    return client.post(reverse("imports:undo", args=[import_file.pk]))


def test_undo_import_starts_the_undo(client, django_user_model, imported):
    staff(django_user_model, client, "view_importfile", "undo_import")

    assert undo(client, imported).status_code == 302
    assert latest_undo(imported.pk).status == ImportUndo.Status.RUNNING


def test_without_undo_import_the_undo_is_refused_and_not_offered(client, django_user_model, imported):
    staff(django_user_model, client, "view_importfile", "import_matches", "change_importfile")

    assert 'id="undo-start"' not in client.get(reverse("imports:detail", args=[imported.pk])).content.decode()
    assert_refused(undo(client, imported))
    assert latest_undo(imported.pk).status == ImportUndo.Status.AVAILABLE


def test_anonymous_undo_is_sent_to_log_in(client, imported):
    assert_sent_to_login(undo(client, imported), admin=False)
    assert latest_undo(imported.pk).status == ImportUndo.Status.AVAILABLE


# --- exporting: export_matches (the export page and the match admin's action) -------------------------------------
def admin_export(client: Client, match_ids: list[int]):
    return client.post(
        reverse("admin:football_match_changelist"), {"action": "export_matches_as_xlsx", "_selected_action": match_ids}
    )


def test_export_matches_opens_the_export_page_and_the_admin_action(client, django_user_model, imported):
    staff(django_user_model, client, "export_matches", "view_match")
    page = client.get(reverse("imports:export"))
    assert page.status_code == 200 and "<title>Excel olarak dışa aktarma" in page.content.decode()

    response = admin_export(client, list(Match.objects.values_list("pk", flat=True)))

    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")


def test_without_export_matches_both_exports_are_refused(client, django_user_model, imported):
    staff(django_user_model, client, "view_match", "import_matches", "view_importfile")
    assert_refused(client.get(reverse("imports:export")))

    response = admin_export(client, list(Match.objects.values_list("pk", flat=True)))

    assert "Content-Disposition" not in response  # the admin does not offer the action at all
    assert "export_matches_as_xlsx" not in client.get(reverse("admin:football_match_changelist")).content.decode()


def test_anonymous_export_is_sent_to_log_in(client):
    assert_sent_to_login(client.get(reverse("imports:export")), admin=False)
