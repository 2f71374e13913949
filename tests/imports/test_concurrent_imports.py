"""Two executions at once, of one import or of two uploads of the same file: counters sum to the truth."""

import threading

import pytest
from django.db import connections

from app.football.models import Match
from app.imports import dispatch
from app.imports.models import ImportFile
from app.imports.services.importing import continue_import, start_import, store_upload
from tests.imports.conftest import good_rows, upload_file, workbook_bytes


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setattr(dispatch, "send_import", lambda import_file_id: f"task-{import_file_id}")


def _at_once(*calls) -> None:
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call) -> None:
        try:
            barrier.wait()
            call()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def _upload(name: str) -> ImportFile:
    return store_upload(uploaded=upload_file(name, workbook_bytes(good_rows())), user_id=None)


@pytest.mark.postgres_only("real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_starts_and_two_executions_of_one_import_run_it_once():
    import_file = _upload("ayni.xlsx")

    _at_once(*[lambda: start_import(import_file_id=import_file.id, confirmed=True)] * 2)
    _at_once(*[lambda: continue_import(import_file_id=import_file.id)] * 2)

    import_file.refresh_from_db()
    assert import_file.status == ImportFile.Status.DONE
    assert (import_file.created_count, import_file.updated_count, import_file.unchanged_count) == (3, 0, 0)
    assert Match.objects.count() == 3


@pytest.mark.postgres_only("real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_uploads_of_the_same_file_imported_at_once_count_each_match_created_once():
    first, second = _upload("bir.xlsx"), _upload("iki.xlsx")
    for import_file in (first, second):
        start_import(import_file_id=import_file.id, confirmed=True)

    for _ in range(3):  # a race is a matter of timing: several rounds, each on fresh matches
        Match.objects.all().delete()
        for import_file in (first, second):
            ImportFile.objects.filter(pk=import_file.pk).update(
                status=ImportFile.Status.RUNNING, lease="", processed_rows=0, created_count=0,
                updated_count=0, unchanged_count=0,
            )  # fmt: skip
        _at_once(*[lambda pk=import_file.id: continue_import(import_file_id=pk) for import_file in (first, second)])

        first.refresh_from_db()
        second.refresh_from_db()
        assert first.status == second.status == ImportFile.Status.DONE
        assert first.created_count + second.created_count == 3 == Match.objects.count()
        assert first.created_count + first.unchanged_count + first.updated_count == 3
        assert second.created_count + second.unchanged_count + second.updated_count == 3
