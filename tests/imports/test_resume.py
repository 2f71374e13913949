"""An import interrupted anywhere (a killed worker, a power cut, a lost message) resumes by itself:
every row stored once, the counts exact, nothing started twice."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.utils import timezone

from app.football.models import Match
from app.imports.models import ImportFile
from app.imports.services import importing
from app.imports.services.export import write_xlsx
from app.imports.services.samples import FULL_HEADERS, large_sample_rows
from devtools.celery_worker import CeleryWorker, worker_environment
from tests.waiting import wait_for

ROWS = 3000


class Killed(BaseException):
    """Stands for SIGKILL in-process: nothing after it runs, no except clause sees it."""


@pytest.fixture
def big_file(tmp_path, transactional_db) -> ImportFile:
    path = tmp_path / "buyuk.xlsx"
    write_xlsx(large_sample_rows(ROWS), str(path), headers=FULL_HEADERS)
    uploaded = SimpleUploadedFile("buyuk.xlsx", path.read_bytes())
    import_file = importing.store_upload(uploaded=uploaded, user_id=None)
    assert import_file.status == ImportFile.Status.VALIDATED and import_file.rejected_count == 0
    return import_file


def assert_imported_once(import_file: ImportFile) -> None:
    assert import_file.status == ImportFile.Status.DONE, import_file.error_message
    assert (import_file.total_rows, import_file.processed_rows) == (ROWS, ROWS)
    assert import_file.created_count + import_file.updated_count + import_file.unchanged_count == ROWS
    assert import_file.created_count == Match.objects.count() == ROWS
    assert not Match.objects.values("external_id").annotate(n=Count("id")).filter(n__gt=1)


def test_an_interrupted_import_goes_on_after_its_last_committed_batch(big_file, settings):
    settings.IMPORT_BATCH_SIZE = 500
    batches = []

    def die_after_two_batches(rows: int) -> None:
        batches.append(rows)
        if len(batches) == 2:
            raise Killed

    with pytest.raises(Killed):
        importing.run_import(import_file_id=big_file.pk, on_progress=die_after_two_batches)
    dead = ImportFile.objects.get(pk=big_file.pk)
    assert dead.status == ImportFile.Status.RUNNING and dead.lease
    assert (dead.processed_rows, dead.created_count, Match.objects.count()) == (1000, 1000, 1000)

    # The lease is still fresh: a second delivery now must not start a parallel import.
    assert importing.continue_import(import_file_id=big_file.pk).processed_rows == 1000
    ImportFile.objects.filter(pk=big_file.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    done_batches = []
    resumed = importing.continue_import(import_file_id=big_file.pk, on_progress=done_batches.append)

    assert done_batches == [500] * 4  # only the rows after the committed ones
    assert resumed.lease != dead.lease
    assert_imported_once(resumed)
    # A copy of the old message delivered long after (visibility timeout) changes nothing.
    again = importing.continue_import(import_file_id=big_file.pk)
    assert (again.status, again.created_count, again.finished_at) == ("done", ROWS, resumed.finished_at)


def test_beat_resumes_only_imports_without_a_sign_of_life(big_file, settings):
    quiet = timezone.now() - timedelta(seconds=settings.IMPORT_STALLED_AFTER_SECONDS + 30)
    ImportFile.objects.filter(pk=big_file.pk).update(status="running", lease="dead", heartbeat_at=quiet)
    alive = importing.store_upload(uploaded=SimpleUploadedFile("b.xlsx", big_file.file.read()), user_id=None)
    ImportFile.objects.filter(pk=alive.pk).update(status="running", lease="alive", heartbeat_at=timezone.now())

    queued = []
    settings.CELERY_TASK_ALWAYS_EAGER = False
    original = importing._queue
    importing._queue = lambda pk: queued.append(pk)
    try:
        assert importing.resume_stalled_imports() == [big_file.pk]
        assert importing.resume_stalled_imports() == []  # resumed once: its queue time is a sign of life
    finally:
        importing._queue = original
    assert queued == [big_file.pk]
    stalled = ImportFile.objects.get(pk=big_file.pk)
    assert stalled.lease == "" and not stalled.is_stalled
    assert ImportFile.objects.get(pk=alive.pk).lease == "alive"


@pytest.mark.worker
def test_import_survives_a_killed_worker_and_its_lost_message(big_file, settings):
    """SIGKILL the worker mid-import and drop every broker message (Redis restarted empty, or a
    power cut without AOF): beat's resume task brings the import to its end on a new worker."""
    from app.celery import app as celery_app

    settings.IMPORT_STALLED_AFTER_SECONDS = 6
    env = worker_environment(IMPORT_BATCH_SIZE="200", IMPORT_STALLED_AFTER_SECONDS="6")
    first = CeleryWorker(env=env, concurrency=1)
    first.start()
    second = None
    try:
        importing.start_import(import_file_id=big_file.pk, confirmed=True)
        wait_for(lambda: ImportFile.objects.get(pk=big_file.pk).processed_rows >= 400, 120, "two batches")
        first.kill()
        killed_at = ImportFile.objects.get(pk=big_file.pk)
        assert killed_at.status == ImportFile.Status.RUNNING and killed_at.processed_rows < ROWS
        prefix = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("global_keyprefix", "")
        celery_app.control.purge()
        with celery_app.connection_for_write() as connection:
            connection.default_channel.client.delete(f"{prefix}unacked", f"{prefix}unacked_index")

        second = CeleryWorker(env=env, concurrency=1)
        second.start()
        # What beat does every minute.
        wait_for(importing.resume_stalled_imports, 60, "the import to look stalled")
        done = wait_for(
            lambda: (f := ImportFile.objects.get(pk=big_file.pk)).status != ImportFile.Status.RUNNING and f,
            180,
            "the resumed import",
        )
    finally:
        first.kill()
        if second:
            second.stop()
    assert done.processed_rows == ROWS
    assert_imported_once(done)
    assert done.task_id != killed_at.task_id
