"""Failure and request counters shared by every web process, in the cache's Redis.

Security counters do not fail open like the rest of the cache (app.redis_cache): with Redis
unreachable, unlimited guessing would be one outage away. Nor do they fail closed: refusing
every login while the cache is down would lock the administrators out of the very site they
need to repair. Each process falls back to counters of its own, with the same limits, so a
guesser gets at most the limit times the number of web processes (a handful) per window, and
the account lockouts already taken stay in force (they are rows in the database).
"""

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import cast

from django.core.cache import cache
from redis import Redis, RedisError

from app.redis_cache import RedisCache

log = logging.getLogger(__name__)

PREFIX = "throttle"


@dataclass(frozen=True)
class Count:
    value: int
    seconds_left: int  # until the window (and the count) ends


def key(kind: str, value: str) -> str:
    """A bounded key whatever the visitor typed: usernames and e-mail addresses are hashed."""
    digest = hashlib.sha256(value.casefold().encode()).hexdigest()[:32]
    return f"{PREFIX}:{kind}:{digest}"


class _LocalCounters:
    """The fallback: a per-process table, pruned as it is used."""

    MAX_KEYS = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._table: dict[str, tuple[int, float]] = {}

    def _live(self, name: str, now: float) -> tuple[int, float]:
        value, expires = self._table.get(name, (0, now))
        return (value, expires) if expires > now else (0, now)

    def incr(self, name: str, window: int, by: int = 1) -> Count:
        with self._lock:
            now = time.monotonic()
            if len(self._table) >= self.MAX_KEYS:
                self._table = {k: v for k, v in self._table.items() if v[1] > now}
            value, expires = self._live(name, now)
            if value == 0:
                expires = now + window
            self._table[name] = (value + by, expires)
            return Count(value + by, max(1, round(expires - now)))

    def get(self, name: str) -> Count:
        with self._lock:
            now = time.monotonic()
            value, expires = self._live(name, now)
            return Count(value, max(0, round(expires - now)))

    def set(self, name: str, value: int, seconds: int) -> None:
        with self._lock:
            self._table[name] = (value, time.monotonic() + seconds)

    def delete(self, *names: str) -> None:
        with self._lock:
            for name in names:
                self._table.pop(name, None)


local = _LocalCounters()


def _redis() -> Redis:
    # The raw client: INCR with its expiry and TTL in one round trip, errors raised, not swallowed.
    return cast(RedisCache, cache).strict._cache.get_client(write=True)  # type: ignore[attr-defined]


def _full(name: str) -> str:
    return cache.make_key(name)


def incr(name: str, *, window: int, by: int = 1) -> Count:
    """Adds to a count that starts a `window`-second life with its first increment."""
    try:
        pipe = _redis().pipeline(transaction=True)
        full = _full(name)
        pipe.set(full, 0, ex=window, nx=True)
        pipe.incrby(full, by)
        pipe.ttl(full)
        _, value, ttl = pipe.execute()
        return Count(int(value), max(1, int(ttl)))
    except RedisError as error:
        log.warning("Throttle counters unavailable, counting in this process: %s", error)
        return local.incr(name, window, by)


def get(name: str) -> Count:
    try:
        pipe = _redis().pipeline(transaction=False)
        full = _full(name)
        pipe.get(full)
        pipe.ttl(full)
        value, ttl = pipe.execute()
        return Count(int(value or 0), max(0, int(ttl)))
    except RedisError as error:
        log.warning("Throttle counters unavailable, counting in this process: %s", error)
        return local.get(name)


def set_value(name: str, value: int, *, seconds: int) -> None:
    try:
        _redis().set(_full(name), value, ex=seconds)
    except RedisError as error:
        log.warning("Throttle counters unavailable, counting in this process: %s", error)
        local.set(name, value, seconds)


def delete(*names: str) -> None:
    local.delete(*names)
    try:
        _redis().delete(*(_full(name) for name in names))
    except RedisError as error:
        log.warning("Throttle counters unavailable: %s", error)
