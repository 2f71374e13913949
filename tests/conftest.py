"""Shared fixtures: the real PostgreSQL/SQLite test database, the real Redis, real workers.

Redis isolation per test session is set up by tests/session_env.py (loaded before settings).
"""

from dataclasses import dataclass, field
from typing import Any

import pytest

from devtools.celery_worker import CeleryWorker, worker_environment
from tests.worker_tasks import WORKER_TASKS


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`@pytest.mark.postgres_only("why")`: skipped, with that reason, when the database is not PostgreSQL."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    for item in items:
        marker = item.get_closest_marker("postgres_only")
        if marker is not None:
            why = marker.args[0] if marker.args else "it asserts PostgreSQL's own behaviour"
            item.add_marker(pytest.mark.skip(reason=f"PostgreSQL only ({why}); this run uses {connection.vendor}"))


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    # Not cache.clear(): on Redis that is FLUSHDB, which also empties the Celery queues of this
    # and of every other test session sharing the Redis database. Delete this session's cache
    # keys only ("<CACHE_KEY_PREFIX>:<version>:<key>"; broker keys have no version part).
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:{cache.version}:*", count=1000))
    if keys:
        client.delete(*keys)
    yield


@pytest.fixture(autouse=True)
def _default_language():
    # A request in English (LocaleMiddleware) leaves English active in this thread; the next test
    # must start from the site's default language, whatever ran before it.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def live_worker(transactional_db, django_db_blocker) -> CeleryWorker:
    """A real `celery -A app worker` process on the test database; stopped after the test."""
    worker = CeleryWorker(env=worker_environment(), include=WORKER_TASKS)
    worker.start()
    yield worker
    worker.stop()


IMPORTER_PERMISSIONS = [
    "import_matches", "export_matches", "add_importfile", "view_importfile", "change_importfile",
]  # fmt: skip


@pytest.fixture
def importer(django_user_model):
    """A user who may upload, start and export imports, and nothing else."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("aktarici", password="gizli-Parola-42")
    # What the Editör group holds for the import workflow (app.imports.selectors names each one's use).
    user.user_permissions.add(*Permission.objects.filter(codename__in=IMPORTER_PERMISSIONS))
    return user


@dataclass
class QueuedTasks:
    """Tasks the request path would send to the broker, recorded instead; `run()` runs them here."""

    calls: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def run(self) -> None:
        from app.accounts import tasks

        calls, self.calls = self.calls, []
        for name, args in calls:
            getattr(tasks, name).apply(args=args).get()


@pytest.fixture
def queued(monkeypatch) -> QueuedTasks:
    from app.accounts import dispatch

    recorder = QueuedTasks()
    monkeypatch.setattr(
        dispatch, "send_password_reset", lambda *args: recorder.calls.append(("send_password_reset", args))
    )
    monkeypatch.setattr(
        dispatch,
        "send_lockout_notices",
        lambda ids: recorder.calls.extend(("send_lockout_notice", (lockout_id,)) for lockout_id in ids),
    )
    return recorder
