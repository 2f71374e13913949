import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from app.football.models import Match
from app.imports.models import ImportFile
from app.imports.services.importing import store_upload
from tests.imports.conftest import good_rows, upload_file, workbook_bytes


def wait_until_finished(import_file_id: int, timeout: float = 60) -> ImportFile:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        import_file = ImportFile.objects.get(pk=import_file_id)
        if import_file.status in (ImportFile.Status.DONE, ImportFile.Status.FAILED):
            return import_file
        time.sleep(0.2)
    raise AssertionError(f"import {import_file_id} did not finish in {timeout}s")


@pytest.mark.worker
def test_confirm_button_runs_the_import_on_a_real_worker(live_worker, importer_client, importer):
    rows = [*good_rows(), ["t-9", "Rizespor", "Rizespor", 1, 0, "2023-09-09"]]
    import_file = store_upload(uploaded=upload_file("ornek.xlsx", workbook_bytes(rows)), user_id=importer.id)

    importer_client.post(reverse("imports:start", args=[import_file.pk]), {"confirm": "1"})
    done = wait_until_finished(import_file.pk)

    assert done.status == ImportFile.Status.DONE, done.error_message
    assert (done.created_count, done.rejected_count, done.processed_rows, done.total_rows) == (3, 1, 4, 4)
    assert done.task_id and done.started_at and done.finished_at
    assert Match.objects.filter(source=Match.Source.EXCEL).count() == 3
    status = importer_client.get(reverse("imports:status", args=[import_file.pk])).json()
    assert status["percent"] == 100 and status["finished"] and status["created"] == 3

    importer_client.post(
        reverse("imports:start", args=[import_file.pk]), {"confirm": "1"}
    )  # once more: nothing changes
    again = wait_until_finished(import_file.pk)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)


@pytest.mark.worker
def test_an_import_whose_worker_and_message_were_lost_can_be_started_again(live_worker, importer_client, importer):
    import_file = store_upload(uploaded=upload_file("ornek.xlsx", workbook_bytes(good_rows())), user_id=importer.id)
    lost_at = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    ImportFile.objects.filter(pk=import_file.pk).update(status=ImportFile.Status.RUNNING, started_at=lost_at)
    recent = store_upload(uploaded=upload_file("yeni.xlsx", workbook_bytes(good_rows())), user_id=importer.id)
    ImportFile.objects.filter(pk=recent.pk).update(status=ImportFile.Status.RUNNING, started_at=timezone.now())

    assert ImportFile.objects.get(pk=import_file.pk).can_start
    assert not ImportFile.objects.get(pk=recent.pk).can_start  # still within the time limit: leave it be

    importer_client.post(reverse("imports:start", args=[import_file.pk]), {"confirm": "1"})
    done = wait_until_finished(import_file.pk)
    assert done.status == ImportFile.Status.DONE and done.created_count == 3
