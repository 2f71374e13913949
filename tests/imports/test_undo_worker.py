"""Undo of a 50,000-row import on real workers: started with the page's button, the worker killed
mid-undo, a second worker finishing the job; matches changed after the import left alone."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from app.football.models import Match
from app.imports.models import ImportChange, ImportFile, ImportUndo
from app.imports.services import samples
from app.imports.services.importing import run_import, store_upload
from app.imports.services.undo import latest_undo
from devtools.celery_worker import CeleryWorker, worker_environment
from tests.imports.conftest import upload_file
from tests.imports.test_undo import state
from tests.waiting import wait_for

ROWS, UPDATED = 50_000, 5_000
# A killed worker's message comes back after the visibility timeout; lowered so that it is seconds.
REDELIVERY_ENV = {
    "CELERY_VISIBILITY_TIMEOUT": "15",
    "CELERY_UNACKED_RESTORE_INTERVAL": "3",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
}


def imported(path, name: str) -> ImportFile:
    with path.open("rb") as handle:
        import_file = store_upload(uploaded=upload_file(name, handle.read()), user_id=None)
    assert import_file.status == ImportFile.Status.VALIDATED, import_file.error_message
    done = run_import(import_file_id=import_file.pk)
    assert done.status == ImportFile.Status.DONE, done.error_message
    return done


@pytest.mark.worker
def test_fifty_thousand_rows_undone_on_a_worker_killed_midway(transactional_db, tmp_path, importer, importer_client):
    importer.user_permissions.add(Permission.objects.get(codename="undo_import"))
    # A few hundred rows more than 50,000: the importer refuses some of the shipped rows (a date
    # outside the season named on the row), at least 50,000 must be written.
    rows = samples.large_sample_rows(ROWS + 500)
    # Before: the first 5,000 matches are stored with other scores; the file will change them.
    earlier = [[*row[:5], (row[5] or 0) + 1, row[6], *row[7:]] for row in rows[:UPDATED]]
    samples.write_xlsx(earlier, str(tmp_path / "earlier.xlsx"), headers=samples.FULL_HEADERS)
    imported(tmp_path / "earlier.xlsx", "earlier.xlsx")
    before = state()
    samples.write_xlsx(rows, str(tmp_path / "big.xlsx"), headers=samples.FULL_HEADERS)
    import_file = imported(tmp_path / "big.xlsx", "big.xlsx")
    created, updated = import_file.created_count, import_file.updated_count
    assert created + updated >= ROWS and updated == len(before[0]) > UPDATED * 0.9
    changes = ImportChange.objects.filter(undo=latest_undo(import_file.pk), kind=ImportChange.Kind.MATCH)
    assert changes.count() == created + updated  # one row per touched match

    # After the import, an editor fixes one new and one updated match: the undo must not touch them.
    edited = [Match.objects.order_by("-id").first(), Match.objects.order_by("id").first()]
    for match in edited:
        Match.objects.filter(pk=match.pk).update(city="Düzeltildi")

    first = CeleryWorker(env=worker_environment(**REDELIVERY_ENV), concurrency=1)
    second = CeleryWorker(env=worker_environment(**REDELIVERY_ENV), concurrency=1)
    first.start()
    try:
        page = importer_client.get(reverse("imports:detail", args=[import_file.pk])).content.decode()
        assert "İçe aktarmayı geri al" in page and 'id="undo-start"' in page
        response = importer_client.post(reverse("imports:undo", args=[import_file.pk]))
        assert response.status_code == 302

        wait_for(lambda: latest_undo(import_file.pk).processed > 0, 120, "a first undone batch", interval=0.05)
        first.kill()  # SIGKILL mid-undo: no cleanup, the task message is not acknowledged
        halfway = latest_undo(import_file.pk)
        assert halfway.status == ImportUndo.Status.RUNNING and 0 < halfway.processed < created, halfway.processed
        second.start()
        undo = wait_for(
            lambda: (
                (u := latest_undo(import_file.pk)).status in (ImportUndo.Status.DONE, ImportUndo.Status.FAILED) and u
            ),
            300,
            "the end of the undo",
        )
    finally:
        first.kill()
        second.stop()

    assert undo.status == ImportUndo.Status.DONE, undo.error_message
    assert (undo.total, undo.processed, undo.kept) == (created + updated, created + updated, 2)
    assert (undo.deleted, undo.restored) == (created - 1, updated - 1)
    assert undo.requested_by == importer and undo.task_id
    matches, teams, seasons = state()
    edited_ids = {match.pk for match in edited}
    assert Match.objects.filter(pk__in=edited_ids, city="Düzeltildi").count() == 2  # as the editor left them
    # Everything else is exactly as before the import, every field of every match.
    assert [row for row in matches if row[0] not in edited_ids] == [
        row for row in before[0] if row[0] not in edited_ids
    ]
    assert len(matches) == len(before[0]) + 1  # the edited new match stays
    # Teams and seasons from before stay; of those the import created, only the kept match's remain.
    assert set(before[1]) <= set(teams) and len(teams) <= len(before[1]) + 2
    assert set(before[2]) <= set(seasons) and len(seasons) <= len(before[2]) + 1

    page = importer_client.get(reverse("imports:detail", args=[import_file.pk])).content.decode()
    assert "geri alındı" in page and 'id="undo-start"' not in page
    assert edited[0].external_id in page and edited[1].external_id in page  # listed as left alone
