"""One request quota per provider for the whole deployment: a token bucket in Redis.

Every worker process on every machine takes a token here before it sends a request to a
provider, so each provider's quota is a single number however many workers run (Celery's `rate_limit` is
per worker and cannot do that). The bucket lives in one Redis hash and is changed only by Lua
scripts, which Redis runs atomically; the clock is Redis' own `TIME`, so machines with skewed
clocks still agree.

The bucket refills at 98 % of the quota and holds at most a tenth of a second of traffic (0.17 %
of a minute): any 60 seconds, however the provider's window is aligned and whatever its clock
says, then see at most 98.2 % of the quota, and the rest absorbs network jitter (a wider margin
only slowed large runs down: docs/fetching.md). When the provider answers 429 anyway, `penalise()`
empties the bucket, pauses it for `Retry-After` and halves the rate for a while.
"""

import random
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

import redis
from django.conf import settings

HEADROOM = 0.98
PENALTY_FACTOR = 0.5
RESERVE_SECONDS = 1.0  # how far ahead acquire() books a token instead of asking again later

_ACQUIRE = """
local key = KEYS[1]
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local penalty_factor = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local max_reserve = tonumber(ARGV[5])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local s = redis.call('HMGET', key, 'tokens', 'ts', 'paused_until', 'penalty_until')
local tokens = tonumber(s[1]) or capacity
local ts = tonumber(s[2]) or now
local paused_until = tonumber(s[3]) or 0
local penalty_until = tonumber(s[4]) or 0
if now < paused_until then
  return {0, tostring(paused_until - now)}
end
if now < penalty_until then
  rate = rate * penalty_factor
end
if now > ts then
  tokens = math.min(capacity, tokens + (now - ts) * rate)
  ts = now
end
local wait = 0
if tokens < 1 then
  wait = (1 - tokens) / rate
end
-- A token due within max_reserve seconds is taken now (the bucket goes into debt) and the caller
-- sleeps until it is due: one call per request instead of every waiter asking again each time.
local reserved = 0
if wait <= max_reserve then
  tokens = tokens - 1
  reserved = 1
  redis.call('HINCRBY', key, 'granted', 1)
end
redis.call('HSET', key, 'tokens', tostring(tokens), 'ts', tostring(ts))
redis.call('EXPIRE', key, ttl)
return {reserved, tostring(wait)}
"""

_PENALISE = """
local key = KEYS[1]
local pause = tonumber(ARGV[1])
local penalty_seconds = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local paused_until = math.max(tonumber(redis.call('HGET', key, 'paused_until')) or 0, now + pause)
local penalty_until = math.max(tonumber(redis.call('HGET', key, 'penalty_until')) or 0, now + penalty_seconds)
-- Tokens already promised to waiting callers stay owed (the bucket stays in debt after the pause).
local tokens = math.min(tonumber(redis.call('HGET', key, 'tokens')) or 0, 0)
redis.call('HSET', key, 'tokens', tostring(tokens), 'ts', tostring(paused_until),
           'paused_until', tostring(paused_until), 'penalty_until', tostring(penalty_until))
redis.call('HINCRBY', key, 'penalties', 1)
redis.call('EXPIRE', key, ttl)
return tostring(paused_until - now)
"""


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    # redis-py pools are fork-aware: a forked Celery pool child opens its own connections.
    return redis.Redis.from_url(url)


@dataclass(frozen=True)
class BucketState:
    tokens: float
    paused_for: float
    penalised_for: float
    granted: int
    penalties: int


class RateLimitTimeout(Exception):
    """No token within the caller's deadline (the bucket is paused for longer than that)."""


class TokenBucket:
    def __init__(
        self,
        *,
        key: str,
        requests_per_minute: int,
        burst: float | None = None,
        penalty_seconds: float = 60.0,
        redis_url: str | None = None,
    ) -> None:
        if requests_per_minute <= 0:
            raise ValueError("requests_per_minute must be positive")
        self.key = key
        self.rate = requests_per_minute * HEADROOM / 60.0  # tokens per second
        self.capacity = burst if burst is not None else max(2.0, requests_per_minute / 600.0)
        self.penalty_seconds = penalty_seconds
        self.ttl = 3600
        self.redis = _client(redis_url or settings.REDIS_URL)
        self._acquire = self.redis.register_script(_ACQUIRE)
        self._penalise = self.redis.register_script(_PENALISE)

    def _take(self, reserve_up_to: float) -> tuple[bool, float]:
        """(taken, seconds): a token now or due within `reserve_up_to` seconds is ours once those
        seconds have passed; otherwise nothing was taken and `seconds` is when to ask again."""
        reserved, wait = self._acquire(
            keys=[self.key], args=[self.rate, self.capacity, PENALTY_FACTOR, self.ttl, reserve_up_to]
        )
        return bool(reserved), float(wait)

    def try_acquire(self) -> float:
        """Take a token if there is one: returns 0.0, else the seconds to wait before asking again."""
        taken, wait = self._take(0.0)
        return 0.0 if taken else wait

    def acquire(self, *, timeout: float | None = None) -> float:
        """Block until a token is ours; returns the seconds spent waiting.

        A token due within RESERVE_SECONDS is reserved at once and the caller sleeps exactly until
        it is due, so many waiting threads cost one Redis call per request each; asking again and
        again (all woken at once, one winning) cost the pipeline its pace at high rates."""
        started = time.monotonic()
        while True:
            waited = time.monotonic() - started
            left = None if timeout is None else timeout - waited
            taken, wait = self._take(RESERVE_SECONDS if left is None else max(0.0, min(RESERVE_SECONDS, left)))
            if taken:
                if wait > 0:
                    time.sleep(wait)
                return time.monotonic() - started
            if left is not None and wait > left:
                raise RateLimitTimeout(f"no token within {timeout}s (next in {wait:.2f}s)")
            # A little jitter so the processes woken together do not all ask at the same instant.
            time.sleep(wait + random.uniform(0, min(wait, 0.01)))

    def penalise(self, retry_after: float | None) -> float:
        """The provider said 429: pause everyone for `retry_after` and slow down for a while."""
        pause = retry_after if retry_after is not None and retry_after >= 0 else 10.0
        return float(self._penalise(keys=[self.key], args=[pause, self.penalty_seconds, self.ttl]))

    def state(self) -> BucketState:
        # redis-py types replies as bytes | str; a client without decode_responses gets bytes.
        stored = cast("dict[bytes, bytes]", self.redis.hgetall(self.key))
        raw = {k.decode(): v.decode() for k, v in stored.items()}
        seconds, micros = self.redis.time()
        now = seconds + micros / 1e6
        return BucketState(
            tokens=float(raw.get("tokens", self.capacity)),
            paused_for=max(0.0, float(raw.get("paused_until", 0)) - now),
            penalised_for=max(0.0, float(raw.get("penalty_until", 0)) - now),
            granted=int(raw.get("granted", 0)),
            penalties=int(raw.get("penalties", 0)),
        )

    def reset(self) -> None:
        self.redis.delete(self.key)


def provider_bucket(provider: str) -> TokenBucket:
    """The deployment-wide bucket of `provider` (keyed by its name: two providers never share a
    quota), sized from the settings."""
    prefix = settings.CACHES["default"].get("KEY_PREFIX") or "macmerkezi"
    return TokenBucket(
        key=f"{prefix}:fetching:ratelimit:{provider}",
        requests_per_minute=settings.FOOTBALL_API_REQUESTS_PER_MINUTE,
        burst=settings.FOOTBALL_API_BURST or None,
        penalty_seconds=settings.FETCH_RATE_PENALTY_SECONDS,
    )
