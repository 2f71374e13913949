"""Django's Redis cache backend, failing open, with one Redis client per pool.

A cache is an optimisation: when Redis refuses a write (full, `OOM command not allowed`), refuses
the connection or does not answer within the socket timeouts (settings.CACHES OPTIONS), a read
is a miss and a write is skipped. The error is logged, at most once a minute per process, and
never becomes a 500. The health check alone must see the error itself: it uses `strict`.

`django.core.cache.backends.redis.RedisCacheClient.get_client` builds a new `redis.Redis` for
every get/set, and each one fills a table of some two hundred response callbacks: a large part
of a cached page's whole time (docs/web.md). A client is only a pool and that table, safe to
share between threads, so it is made once.
"""

import logging
import threading
import time
from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis import ConnectionPool, Redis, RedisError

log = logging.getLogger(__name__)

ERROR_LOG_INTERVAL_SECONDS = 60.0
T = TypeVar("T")


class ErrorLog:
    """Logs the first cache error, then at most one per interval with the count of the others.

    A dead cache fails every request; one line a minute says so without flooding the log.
    """

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._lock = threading.Lock()
        self._logged_at: float | None = None
        self._unlogged = 0

    def error(self, operation: str, error: RedisError) -> None:
        with self._lock:
            now = time.monotonic()
            if self._logged_at is not None and now - self._logged_at < self.interval:
                self._unlogged += 1
                return
            unlogged, self._unlogged, self._logged_at = self._unlogged, 0, now
        since = f" ({unlogged} more since the last of these lines)" if unlogged else ""
        log.warning("Cache unavailable, %s treated as a miss: %s: %s%s", operation, type(error).__name__, error, since)


error_log = ErrorLog(ERROR_LOG_INTERVAL_SECONDS)


class StrictRedisCacheClient(DjangoRedisCacheClient):
    # Django's private helpers used below, which django-stubs does not declare.
    _client: Callable[..., Redis]
    _get_connection_pool_index: Callable[[bool], int]
    _get_connection_pool: Callable[[bool], ConnectionPool]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Redis] = {}

    def get_client(self, key: str | bytes | memoryview | None = None, *, write: bool = False) -> Redis:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


def _failing_open(operation: Callable[..., T], default: T, *args: Any) -> T:
    try:
        return operation(*args)
    except RedisError as error:
        error_log.error(operation.__name__, error)
        return default


class RedisCacheClient(StrictRedisCacheClient):
    """Every read and write of Django's client, with a Redis error as a miss or a skipped write.

    `incr` (its "no such key" is a ValueError callers rely on) and `clear` (an administrator's
    command) keep raising.
    """

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        return _failing_open(super().add, False, key, value, timeout)

    def get(self, key: Any, default: Any) -> Any:
        return _failing_open(super().get, default, key, default)

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        _failing_open(super().set, None, key, value, timeout)

    def touch(self, key: Any, timeout: Any) -> bool:
        return _failing_open(super().touch, False, key, timeout)

    def delete(self, key: Any) -> bool:
        return _failing_open(super().delete, False, key)

    def get_many(self, keys: Any) -> dict[Any, Any]:
        return _failing_open(super().get_many, {}, keys)

    def has_key(self, key: Any) -> bool:
        return _failing_open(super().has_key, False, key)

    def set_many(self, data: Any, timeout: Any) -> None:
        _failing_open(super().set_many, None, data, timeout)

    def delete_many(self, keys: Any) -> None:
        _failing_open(super().delete_many, None, keys)


class StrictRedisCache(DjangoRedisCache):
    """The same backend raising Redis's errors, for the health check."""

    _servers: list[str]  # Django's, which django-stubs does not declare

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = StrictRedisCacheClient
        self._params = params


class RedisCache(StrictRedisCache):
    """The site's cache backend (settings.CACHES): a Redis error is a miss, logged, never a 500."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    @cached_property
    def strict(self) -> StrictRedisCache:
        """The same server, prefix and timeouts, raising: for a check that must report the error."""
        return StrictRedisCache(self._servers, self._params)
