"""Health of the parts the site needs: database, cache, broker and at least one live worker.

Each check has a short timeout and they run side by side, so a monitoring probe gets its answer
in about `timeout` seconds even when a part hangs instead of refusing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from django.core.cache import caches
from django.db import connections

from app.redis_cache import RedisCache

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 2.0


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
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return CheckResult(ok=True)


def check_cache(timeout: float) -> CheckResult:
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        cache = cache.strict  # the site's cache treats an error as a miss; this check reports it
    key, value = "health:probe", uuid.uuid4().hex
    cache.set(key, value, 30)
    if cache.get(key) != value:
        return CheckResult(ok=False, detail="cache read back a different value")
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


def _run(name: str, check: Callable[[float], CheckResult], timeout: float) -> CheckResult:
    try:
        return check(timeout)
    except Exception as exc:  # any failure of a part is a status, not a 500
        log.warning("health check %s failed: %s", name, exc)
        return CheckResult(ok=False, detail=f"{exc.__class__.__name__}: {exc}"[:300])


def run_checks(*, timeout: float = TIMEOUT_SECONDS) -> Health:
    """All checks at once; the database one in this thread, which owns the request's connection.

    A part that hangs past its own timeout is reported as failing; its thread is left to end alone.
    """
    pool = ThreadPoolExecutor(max_workers=len(CHECKS) - 1, thread_name_prefix="health")
    futures = {name: pool.submit(_run, name, check, timeout) for name, check in CHECKS.items() if name != "database"}
    results = {"database": _run("database", check_database, timeout)}
    for name, future in futures.items():
        try:
            results[name] = future.result(timeout=timeout * 2 + 1)
        except FutureTimeout:
            results[name] = CheckResult(ok=False, detail=f"no answer within {timeout * 2 + 1:g}s")
    pool.shutdown(wait=False, cancel_futures=True)
    return Health(checks={name: results[name] for name in CHECKS})
