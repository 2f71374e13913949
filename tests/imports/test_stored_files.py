"""The upload's bytes live in the database: an import reads them on any host, a disk copy is used
only when it is the upload, and the migration brings the files already on disk in."""

import importlib
import random
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches

from app.football.models import Match
from app.imports.models import ImportFile, ImportFileChunk
from app.imports.services import stored_files
from app.imports.services.export import write_xlsx
from app.imports.services.importing import run_import, start_import, store_upload
from app.imports.services.reading import UnreadableFile
from app.imports.services.samples import FULL_HEADERS, large_sample_rows
from devtools.celery_worker import CeleryWorker, worker_environment
from tests.imports.conftest import good_rows, upload_file, workbook_bytes
from tests.imports.test_worker import wait_until_finished

migration = importlib.import_module("app.imports.migrations.0006_stored_upload_bytes")


def stored(content: bytes, name: str = "ornek.xlsx") -> ImportFile:
    import_file = store_upload(uploaded=upload_file(name, content), user_id=None)
    assert import_file.status == ImportFile.Status.VALIDATED, import_file.error_message
    return import_file


def disk_copy(import_file: ImportFile) -> Path:
    return Path(import_file.file.path)


@pytest.mark.django_db
def test_file_is_read_from_the_database_when_the_disk_copy_is_gone(_media_root):
    content = workbook_bytes(good_rows())
    import_file = stored(content)
    disk_copy(import_file).unlink()

    with stored_files.local_copy(import_file) as path:
        assert path.read_bytes() == content
        assert not path.is_relative_to(_media_root) and path.suffix == ".xlsx"
    assert not path.exists()  # the temporary copy is gone with the block

    done = run_import(import_file_id=import_file.pk)
    assert done.status == ImportFile.Status.DONE, done.error_message
    assert (done.created_count, done.processed_rows, done.total_rows) == (3, 3, 3)


@pytest.mark.django_db
def test_a_changed_disk_copy_is_not_trusted_over_the_database(caplog):
    import_file = stored(workbook_bytes(good_rows()))
    # Another valid workbook in its place: its rows must not be what gets imported.
    disk_copy(import_file).write_bytes(workbook_bytes([["x-1", "Rizespor", "Alanyaspor", 5, 5, "2023-09-09"]]))

    done = run_import(import_file_id=import_file.pk)

    assert done.status == ImportFile.Status.DONE, done.error_message
    assert sorted(Match.objects.values_list("external_id", flat=True)) == ["t-1", "t-2", "t-3"]
    assert "differs from the upload" in caplog.text


@pytest.mark.django_db
def test_a_corrupt_database_copy_is_refused_not_imported():
    import_file = stored(workbook_bytes(good_rows()))
    disk_copy(import_file).unlink()
    ImportFileChunk.objects.filter(import_file=import_file).update(data=b"PK\x03\x04 not the upload")

    done = run_import(import_file_id=import_file.pk)

    assert done.status == ImportFile.Status.FAILED and not Match.objects.exists()
    assert done.error_message == "Dosya yüklendikten sonra değişmiş; yeniden yükleyin."


@pytest.mark.django_db
def test_without_either_copy_the_importer_asks_for_the_file_again():
    import_file = stored(workbook_bytes(good_rows()))
    disk_copy(import_file).unlink()
    ImportFileChunk.objects.filter(import_file=import_file).delete()

    with pytest.raises(UnreadableFile, match="sunucuda bulunamadı"):
        with stored_files.local_copy(import_file):
            pass
    done = run_import(import_file_id=import_file.pk)
    assert done.status == ImportFile.Status.FAILED
    assert done.error_message == "Yüklenen dosya sunucuda bulunamadı; yeniden yükleyin."


@pytest.mark.django_db
def test_a_large_upload_is_stored_in_pieces_and_read_back_whole():
    # Over Django's in-memory limit, a real upload arrives as a temporary file that saving moves.
    content = random.Random(7).randbytes(2 * ImportFileChunk.CHUNK_BYTES + 123)
    uploaded = TemporaryUploadedFile("iri.xlsx", "application/octet-stream", len(content), None)
    uploaded.write(content)
    uploaded.seek(0)
    import_file = store_upload(uploaded=uploaded, user_id=None)
    uploaded.close()  # as the request does at its end
    pieces = ImportFileChunk.objects.filter(import_file=import_file).order_by("number")

    assert list(pieces.values_list("number", flat=True)) == [0, 1, 2]
    disk_copy(import_file).unlink()
    with stored_files.local_copy(import_file) as path:
        assert path.read_bytes() == content
    with CaptureQueriesContext(connection) as queries:
        import_file.delete()
    assert not ImportFileChunk.objects.exists()  # the bytes go with their record, never loaded to do so
    assert not [query for query in queries if query["sql"].startswith("SELECT") and "importfilechunk" in query["sql"]]


@pytest.mark.django_db
def test_migration_copies_the_files_on_disk_into_the_database():
    kept = stored(workbook_bytes(good_rows()))
    missing = stored(workbook_bytes(good_rows()), name="kayip.xlsx")
    ImportFileChunk.objects.all().delete()  # as before the migration
    disk_copy(missing).unlink()

    migration.copy_files_into_database(apps, None)
    migration.copy_files_into_database(apps, None)  # once more: nothing twice

    assert ImportFileChunk.objects.filter(import_file=kept).count() == 1
    assert not ImportFileChunk.objects.filter(import_file=missing).exists()
    disk_copy(kept).unlink()
    assert run_import(import_file_id=kept.pk).created_count == 3  # from the database alone
    failed = run_import(import_file_id=missing.pk)
    assert failed.error_message == "Yüklenen dosya sunucuda bulunamadı; yeniden yükleyin."


@pytest.mark.django_db
def test_uploads_are_not_served_even_with_debug(settings, client):
    import_file = stored(workbook_bytes(good_rows()))
    settings.DEBUG = True
    urls = importlib.import_module(settings.ROOT_URLCONF)
    try:
        importlib.reload(urls)  # the URLconf as a DEBUG process builds it
        clear_url_caches()
        assert client.get(f"{settings.MEDIA_URL}{import_file.file.name}").status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(urls)
        clear_url_caches()


@pytest.mark.worker
def test_import_runs_on_a_worker_host_without_the_uploads_directory(transactional_db, tmp_path):
    rows = large_sample_rows(1500)
    rows.append([*rows[0][:4], rows[0][3], *rows[0][5:]])  # a team playing itself: refused
    path = tmp_path / "buyuk.xlsx"
    write_xlsx(rows, str(path), headers=FULL_HEADERS)
    import_file = stored(path.read_bytes(), name="buyuk.xlsx")
    assert disk_copy(import_file).is_file()  # the web host's copy, which the worker cannot see
    worker_media = tmp_path / "worker-host" / "media"
    worker = CeleryWorker(env=worker_environment(MEDIA_ROOT=str(worker_media), IMPORT_BATCH_SIZE="400"), concurrency=1)
    worker.start()
    try:
        start_import(import_file_id=import_file.pk, confirmed=True)
        done = wait_until_finished(import_file.pk, timeout=120)
    finally:
        worker.stop()

    assert done.status == ImportFile.Status.DONE, done.error_message
    assert (done.total_rows, done.processed_rows, done.rejected_count) == (1501, 1501, 1)
    assert done.created_count + done.updated_count + done.unchanged_count == 1500
    assert done.created_count == Match.objects.count() == 1500
    assert not worker_media.exists()  # nothing was read from, or written to, the worker's MEDIA_ROOT
