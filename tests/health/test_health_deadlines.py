"""The health check under load and faults: shared results, deadlines, locks, hung parts."""

import itertools
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from django.db import connections
from django.urls import reverse

from app.football.models import Match
from app.health import checks
from app.health.checks import CheckResult


@pytest.fixture(autouse=True)
def _fresh_result():
    checks.forget_last_result()
    yield
    checks.wait_for_running_checks()
    checks.forget_last_result()


@pytest.fixture
def silent_redis() -> Iterator[str]:
    """A server that accepts connections and never says a word: a hung Redis."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def _in_threads(count: int, work) -> list:
    results: list = [None] * count
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = work()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_sixteen_concurrent_probes_never_fail_each_other():
    def probe_five_times() -> list[CheckResult]:
        return [check(2.0) for _ in range(5) for check in (checks.check_cache, checks.check_database)]

    results = _in_threads(16, probe_five_times)

    assert [result for probes in results for result in probes if not result.ok] == []


@pytest.mark.postgres_only("LOCK TABLE and lock_timeout")
@pytest.mark.django_db(transaction=True)
def test_a_locked_match_table_fails_the_database_check_within_the_deadline():
    locker = connections.create_connection("default")
    try:
        with locker.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(f"LOCK TABLE {Match._meta.db_table} IN ACCESS EXCLUSIVE MODE")
            started = time.monotonic()
            health = checks.run_checks(checks={"database": checks.check_database})
            elapsed = time.monotonic() - started
            cursor.execute("ROLLBACK")
    finally:
        locker.close()

    assert not health.ok
    assert "lock" in health.checks["database"].detail.lower()
    assert elapsed < 3


@pytest.mark.django_db(transaction=True)
def test_a_cache_that_never_answers_still_gives_an_answer_within_three_seconds(client, silent_redis, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": silent_redis,
            "OPTIONS": {"socket_timeout": 60, "socket_connect_timeout": 60},  # the deadline must save us
        }
    }

    started = time.monotonic()
    response = client.get(reverse("health:health"))
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert "cache" in response.json()["failing"]
    assert elapsed < 3


def test_a_check_still_hanging_from_the_last_probe_is_not_started_again():
    release = threading.Event()
    started = []

    def hangs(timeout: float) -> CheckResult:
        started.append(1)
        release.wait(10)
        return CheckResult(ok=True)

    try:
        first = checks.run_checks(checks={"hung": hangs}, deadline=0.2)
        second = checks.run_checks(checks={"hung": hangs}, deadline=0.2)
    finally:
        release.set()

    assert first.checks["hung"].detail.startswith("timeout")
    assert second.checks["hung"].detail.startswith("timeout")
    assert len(started) == 1


def test_at_most_one_computation_a_second_under_concurrent_askers(monkeypatch):
    computations: list[float] = []

    def counted(**kwargs) -> checks.Health:
        computations.append(time.monotonic())
        time.sleep(0.3)
        return checks.Health(checks={"database": CheckResult(ok=True)})

    monkeypatch.setattr(checks, "run_checks", counted)
    ends = time.monotonic() + 2.5

    def ask_until_the_end() -> int:
        asked = 0
        while time.monotonic() < ends:
            assert checks.current_health().ok
            asked += 1
        return asked

    asked = _in_threads(16, ask_until_the_end)

    assert sum(asked) > 100
    assert 1 <= len(computations) <= 3
    gaps = [later - earlier for earlier, later in itertools.pairwise(computations)]
    assert all(gap >= 1.0 for gap in gaps)


@pytest.mark.django_db
def test_anonymous_callers_see_statuses_but_no_details(client, admin_client):
    anonymous = client.get(reverse("health:health")).json()
    checks.forget_last_result()
    staff = admin_client.get(reverse("health:health")).json()

    assert set(anonymous) == {"status", "checks", "failing"}
    assert "details" in staff and "worker" in staff["details"]


def _database_options(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=None).stdout


@pytest.mark.postgres_only("statement_timeout is a PostgreSQL option")
def test_web_processes_alone_get_the_statement_and_lock_timeouts():
    web = _database_options("import app.wsgi; from django.conf import settings; print(settings.DATABASES)")
    other = _database_options(
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings'); django.setup();"
        " from django.conf import settings; print(settings.DATABASES)"
    )

    assert "statement_timeout=15000" in web and "lock_timeout=5000" in web
    assert "statement_timeout" not in other and "lock_timeout" not in other
