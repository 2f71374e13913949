"""Django's Redis cache backend, with one Redis client per pool instead of one per operation.

`django.core.cache.backends.redis.RedisCacheClient.get_client` builds a new `redis.Redis` for
every get/set, and each one fills a table of some two hundred response callbacks: a large part
of a cached page's whole time (docs/web.md). A client is only a pool and that table, safe to
share between threads, so it is made once.
"""

from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis import ConnectionPool, Redis


class RedisCacheClient(DjangoRedisCacheClient):
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


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
