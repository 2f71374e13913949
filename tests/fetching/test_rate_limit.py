"""The Redis token bucket, against the real Redis, shared by separate processes."""

import multiprocessing
import time

from app.fetching.services.rate_limit import HEADROOM, PENALTY_FACTOR, TokenBucket


def _take_tokens(key: str, redis_url: str, per_minute: int, ready, go, start, seconds: float, queue) -> None:
    bucket = TokenBucket(key=key, requests_per_minute=per_minute, burst=2, redis_url=redis_url)
    # Both processes take tokens in the same wall-clock window, however long each took to start
    # (a loaded machine can take seconds to spawn an interpreter): the window opens once both are ready.
    ready.put(True)
    go.wait(120)
    start_at = start.value
    time.sleep(max(0.0, start_at - time.time()))
    deadline = start_at + seconds
    taken = 0
    while time.time() < deadline:
        wait = bucket.try_acquire()
        if wait == 0:
            taken += 1
        else:
            time.sleep(min(wait, max(0.0, deadline - time.time())))
    queue.put(taken)


def test_bucket_grants_its_burst_at_once_then_makes_callers_wait(bucket_key, bucket_redis_url):
    bucket = TokenBucket(key=bucket_key, requests_per_minute=60, burst=3, redis_url=bucket_redis_url)

    assert [bucket.try_acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = bucket.try_acquire()
    assert 0.3 < wait <= 1 / (HEADROOM * 60 / 60) + 0.01


def test_two_processes_share_one_quota(bucket_key, bucket_redis_url):
    per_minute, seconds = 600, 3.0  # 9.5 tokens a second after headroom
    context = multiprocessing.get_context("spawn")
    queue, ready, go, start = context.Queue(), context.Queue(), context.Event(), context.Value("d", 0.0)
    workers = [
        context.Process(
            target=_take_tokens, args=(bucket_key, bucket_redis_url, per_minute, ready, go, start, seconds, queue)
        )
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.get(timeout=120)
    start.value = time.time() + 0.5
    go.set()
    for worker in workers:
        worker.join(timeout=60)
    taken = [queue.get(timeout=5) for _ in workers]

    allowed = 2 + per_minute * HEADROOM / 60 * seconds  # the burst, then the refill over the window
    assert sum(taken) <= allowed + 1
    assert sum(taken) >= allowed * 0.7
    assert all(n > 0 for n in taken)  # both got a share: one bucket, not one each


def test_penalise_pauses_everyone_then_halves_the_rate_for_a_while(bucket_key, bucket_redis_url):
    bucket = TokenBucket(
        key=bucket_key, requests_per_minute=6000, burst=5, penalty_seconds=30, redis_url=bucket_redis_url
    )
    assert bucket.try_acquire() == 0.0

    bucket.penalise(0.3)

    assert 0 < bucket.try_acquire() <= 0.3
    time.sleep(0.3)
    state = bucket.state()
    assert state.penalised_for > 25
    assert state.penalties == 1
    halved_interval = 1 / (6000 * HEADROOM / 60 * PENALTY_FACTOR)
    bucket.acquire()  # the pause emptied the bucket: tokens come one by one at half speed
    start = time.monotonic()
    for _ in range(10):
        bucket.acquire()
    assert time.monotonic() - start >= 10 * halved_interval * 0.9


def test_acquire_gives_up_after_its_timeout_when_the_bucket_is_paused(bucket_key, bucket_redis_url):
    from app.fetching.services.rate_limit import RateLimitTimeout

    bucket = TokenBucket(key=bucket_key, requests_per_minute=6000, burst=1, redis_url=bucket_redis_url)
    bucket.penalise(5)

    try:
        bucket.acquire(timeout=0.1)
    except RateLimitTimeout:
        pass
    else:
        raise AssertionError("acquire should have timed out")


def test_waiting_threads_book_their_tokens_once_and_keep_the_pace(bucket_key, bucket_redis_url):
    from concurrent.futures import ThreadPoolExecutor

    class CountingBucket(TokenBucket):
        calls = 0

        def _take(self, reserve_up_to: float) -> tuple[bool, float]:
            CountingBucket.calls += 1
            return super()._take(reserve_up_to)

    bucket = CountingBucket(key=bucket_key, requests_per_minute=3000, burst=2, redis_url=bucket_redis_url)
    requests, rate = 60, 3000 * HEADROOM / 60  # 49 tokens a second
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda _: bucket.acquire(), range(requests)))
    elapsed = time.monotonic() - started

    assert elapsed >= (requests - 2) / rate * 0.95  # the quota holds: the burst, then the refill rate
    assert bucket.state().granted == requests
    # 16 threads waiting at once, yet about one call per token (asking again would be ~16 each).
    assert CountingBucket.calls <= requests * 1.2


def test_each_provider_has_its_own_bucket(settings, bucket_redis_url, monkeypatch):
    from app.fetching.providers import football_data
    from app.fetching.services import runs
    from app.fetching.services.rate_limit import provider_bucket

    settings.REDIS_URL = bucket_redis_url
    settings.FOOTBALL_API_REQUESTS_PER_MINUTE, settings.FOOTBALL_API_BURST = 60, 2
    first, second = provider_bucket("football-data"), provider_bucket("another-provider")
    try:
        assert [first.try_acquire(), first.try_acquire()] == [0.0, 0.0]
        assert first.try_acquire() > 0  # this provider's quota is spent...
        assert second.try_acquire() == 0.0  # ...the other's is untouched
        first.penalise(30)
        assert second.state().paused_for == 0
        assert second.try_acquire() == 0.0
    finally:
        first.reset()
        second.reset()
    # A fetch run's client takes its tokens from the bucket of the provider it asks (unwrapped:
    # the process-wide cache of clients must not keep this test's settings).
    monkeypatch.setattr(runs, "provider_module", lambda name: football_data)
    assert runs.provider_for.__wrapped__("another-provider").rate_limiter.key == second.key
