"""Health of the parts the site needs: database, cache, broker and at least one live worker.

Every check runs in a thread of its own against a deadline (`DEADLINE_SECONDS`): a check that has
not answered by then is reported failed ("timeout") and the answer goes out anyway, so a part
that hangs instead of refusing (PostgreSQL frozen, a Redis that accepts and never replies) costs a
probe at most the deadline. A check still hanging from an earlier probe is not started again: it
fails as "timeout" at once, so a hung part never piles up threads.

The result is computed at most once per `RESULT_MAX_AGE_SECONDS` in a process: concurrent askers
wait for the one computation and share its result. A monitor, a load balancer and an appliance
test probing at once therefore cost the database and the workers one round of checks a second.
The shared result is per process and not in the cache on purpose: the cache is one of the parts
under check, and a result read from it would be only as good as the cache.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import caches
from django.db import connections

from app.football.models import Match
from app.redis_cache import RedisCache

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 2.0  # each part's own timeout (sockets, statement, ping)
DEADLINE_SECONDS = 2.5  # the whole answer, whatever a part does
RESULT_MAX_AGE_SECONDS = 1.0


@dataclass
class CheckResult:
    ok: bool
    detail: str = ""  # staff only: an error text or the worker names


@dataclass
class Health:
    checks: dict[str, CheckResult]

    @property
    def ok(self) -> bool:
        return all(result.ok for result in self.checks.values())

    @property
    def failing(self) -> list[str]:
        return [name for name, result in self.checks.items() if not result.ok]

    def as_json(self, *, details: bool) -> dict:
        """Anonymous callers get the statuses only: no versions, hostnames or error texts."""
        body: dict = {
            "status": "ok" if self.ok else "error",
            "checks": {name: "ok" if result.ok else "error" for name, result in self.checks.items()},
        }
        if not self.ok:
            body["failing"] = self.failing
        if details:
            body["details"] = {name: result.detail for name, result in self.checks.items() if result.detail}
        return body


def check_database(timeout: float) -> CheckResult:
    """A real read of a real table, on a connection of its own, under statement and lock timeouts.

    `SELECT 1` answers while a table the pages read is locked; this read waits for that lock like
    a page would, and `lock_timeout` turns the wait into a failure. The connection is not the
    request's (nor any thread's shared one), so a database that never answers holds only this
    check's thread, never the request past the deadline.
    """
    connection = connections.create_connection("default")
    connection.settings_dict = {**connection.settings_dict, "CONN_MAX_AGE": 0}
    milliseconds = max(1, int(timeout * 1000))
    if connection.vendor == "postgresql":
        options = dict(connection.settings_dict.get("OPTIONS") or {})
        options["connect_timeout"] = max(1, round(timeout))  # libpq counts whole seconds
        connection.settings_dict["OPTIONS"] = options
    table = connection.ops.quote_name(Match._meta.db_table)
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("BEGIN")
                cursor.execute(f"SET LOCAL statement_timeout = {milliseconds}")
                cursor.execute(f"SET LOCAL lock_timeout = {milliseconds // 2}")  # says "lock" first
            cursor.execute(f"SELECT id FROM {table} ORDER BY id LIMIT 1")
            cursor.fetchone()
            if connection.vendor == "postgresql":
                cursor.execute("ROLLBACK")
    finally:
        connection.close()
    return CheckResult(ok=True)


def check_cache(timeout: float) -> CheckResult:
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        cache = cache.strict  # the site's cache treats an error as a miss; this check reports it
    # A key of its own per probe: with one shared key, two probes at once read each other's value.
    key, value = f"health:probe:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 30)
    try:
        if cache.get(key) != value:
            return CheckResult(ok=False, detail="cache read back a different value")
    finally:
        cache.delete(key)
    return CheckResult(ok=True)


def check_broker(timeout: float) -> CheckResult:
    from app.celery import app as celery_app

    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
    with celery_app.connection_for_write(transport_options=options) as connection:
        connection.ensure_connection(max_retries=1, timeout=timeout)
        connection.default_channel  # noqa: B018 — opening a channel talks to the broker
    return CheckResult(ok=True)


def check_worker(timeout: float) -> CheckResult:
    """A worker answered a ping just now: its consumer is alive and reads the broker.

    The reply comes from the worker's main process, so it answers while its pool is busy.
    """
    from app.celery import app as celery_app

    replies = celery_app.control.ping(timeout=timeout, limit=1) or []
    names = sorted(name for reply in replies for name in reply)
    if not names:
        return CheckResult(ok=False, detail=f"no worker answered a ping within {timeout:g}s")
    return CheckResult(ok=True, detail=", ".join(names))


CHECKS: dict[str, Callable[[float], CheckResult]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "worker": check_worker,
}


class _CheckRun:
    """One check in a daemon thread: the thread may outlive the answer, never the process."""

    def __init__(self, name: str, check: Callable[[float], CheckResult], timeout: float) -> None:
        self.name = name
        self.result: CheckResult | None = None
        self.done = threading.Event()
        self.started_at = time.monotonic()
        self.thread = threading.Thread(target=self._run, args=(check, timeout), name=f"health-{name}", daemon=True)

    def _run(self, check: Callable[[float], CheckResult], timeout: float) -> None:
        try:
            self.result = check(timeout)
        except Exception as exc:  # any failure of a part is a status, not a 500
            log.warning("health check %s failed: %s", self.name, exc)
            self.result = CheckResult(ok=False, detail=f"{exc.__class__.__name__}: {exc}"[:300])
        finally:
            connections.close_all()  # this thread's own connections, if a check opened any
            self.done.set()


_running: dict[str, _CheckRun] = {}  # per check, a run that has not ended yet
_running_lock = threading.Lock()


def run_checks(
    *,
    timeout: float = TIMEOUT_SECONDS,
    deadline: float = DEADLINE_SECONDS,
    checks: dict[str, Callable[[float], CheckResult]] | None = None,
) -> Health:
    """All checks at once, each in its own thread; whatever has not answered by `deadline` failed."""
    checks = CHECKS if checks is None else checks
    now = time.monotonic()
    ends_at = now + deadline
    runs: dict[str, _CheckRun | None] = {}
    with _running_lock:
        for name, check in checks.items():
            previous = _running.get(name)
            if previous is not None and not previous.done.is_set():
                # Started by a concurrent caller within its deadline: share it. Older: the part
                # has hung since an earlier probe and has not answered yet.
                runs[name] = previous if now - previous.started_at < deadline else None
                continue
            runs[name] = _running[name] = _CheckRun(name, check, timeout)
            runs[name].thread.start()  # type: ignore[union-attr]
    results: dict[str, CheckResult] = {}
    for name, run in runs.items():
        if run is None:
            results[name] = CheckResult(ok=False, detail="timeout: the previous check has not answered yet")
        elif run.done.wait(max(0.0, ends_at - time.monotonic())) and run.result is not None:
            results[name] = run.result
        else:
            log.warning("health check %s gave no answer within %gs", name, deadline)
            results[name] = CheckResult(ok=False, detail=f"timeout: no answer within {deadline:g}s")
    return Health(checks=results)


@dataclass
class _Computed:
    health: Health
    at: float


_last: _Computed | None = None
_compute_lock = threading.Lock()


def current_health(*, max_age: float = RESULT_MAX_AGE_SECONDS) -> Health:
    """The last result if younger than `max_age`, else a new one; one computation at a time.

    Askers arriving during a computation wait for it (at most the deadline) and get its result.
    """
    global _last
    with _compute_lock:
        if _last is None or time.monotonic() - _last.at >= max_age:
            _last = _Computed(health=run_checks(), at=time.monotonic())
        return _last.health


def forget_last_result() -> None:
    """For tests and after changing what the checks talk to."""
    global _last
    with _compute_lock:
        _last = None


def wait_for_running_checks(timeout: float = 10.0) -> None:
    """For tests: let checks left running by earlier probes end before the parts change under them."""
    with _running_lock:
        runs = list(_running.values())
    for run in runs:
        run.done.wait(timeout)
