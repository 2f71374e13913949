#!/usr/bin/env python
"""Benchmark of fetch runs against the simulated provider (issues 4 and 12).

    scripts/bench_fetch.py [--ids 20000[,200000]] [--quota 1200] [--speed-factor auto] [--naive-ids 300]

0. Capacity: the pipeline's own speed on this machine, quota off (simulator and bucket unlimited),
   over --capacity-ids ids; with `--speed-factor auto` (the default) the time speed-up is then
   chosen so that the scaled quota is at most --headroom of that capacity, and both are printed.
1. Our way: one FetchRun per size in --ids, chunk tasks, the Redis token bucket, the workers;
   for each, the database time per chunk (summed in the chunk task), so sizes can be compared.
2. The naive way: a `group` of one task per id with Celery's `rate_limit='60/m'` and
   `retry(countdown=60)` on errors, on the same two workers; by default in real time (speed
   factor 1, because Celery's rate limiter does not keep up when scaled) on 300 ids, extrapolated.

Time is scaled: the simulator's quota "minute" lasts 60/speed-factor seconds, and every
per-minute figure on our side (bucket rate, the naive rate_limit and countdown) is scaled the
same way, so results are reported both in real seconds and in provider ("unscaled") time.
Uses its own database (mm_bench_fetch, created when missing; BENCH_DATABASE_URL to change it)
and its own Redis database (7) so it neither reads nor disturbs anyone else's data; needs
PostgreSQL and Redis running. Ids beyond the 59,306 shipped matches come from the simulator's
synthetic catalogue; a run is never smaller than asked for (the bench stops instead).
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from celery import Task, shared_task

if TYPE_CHECKING:
    from devtools.celery_worker import CeleryWorker

ROOT = Path(__file__).resolve().parent.parent
FETCH_TABLES = ("football_match", "football_goal", "football_team", "fetching_fetchrun", "fetching_fetchitem",
                "fetching_fetchfailure", "django_celery_results_taskresult")  # fmt: skip
NAIVE_COUNTER = "bench-fetch:naive:{}"


# --- the naive baseline, imported by the workers with `-I scripts.bench_fetch` --------------
def _speed() -> float:
    return float(os.environ.get("BENCH_SPEED_FACTOR", "1"))


# Read when a worker imports this module: the baseline's rate limit, scaled like everything else.
NAIVE_RATE_LIMIT = f"{round(float(os.environ.get('BENCH_NAIVE_RATE', '60')) * _speed())}/m"


@shared_task(bind=True, name="bench.naive_fetch", acks_late=True, max_retries=None, rate_limit=NAIVE_RATE_LIMIT)
def naive_fetch(self: Task, provider_id: int) -> None:
    """One id per task, Celery's per-worker rate_limit as the only brake, retry in a minute."""
    import redis
    from django.conf import settings

    from app.fetching.providers.base import PermanentProviderError, TransientProviderError
    from app.fetching.providers.football_data import FootballDataClient
    from app.fetching.services.mapping import store_matches

    counters = redis.Redis.from_url(settings.REDIS_URL)
    client = FootballDataClient()  # no shared bucket: that is the point of the baseline
    try:
        match = client.get_match(provider_id)
    except TransientProviderError as exc:
        raise self.retry(countdown=60 / _speed()) from exc
    except PermanentProviderError:
        counters.incr(NAIVE_COUNTER.format("failed"))
        return
    finally:
        client.close()
    store_matches([match])
    counters.incr(NAIVE_COUNTER.format("done"))


# --- the benchmark ------------------------------------------------------------------------
RUN_TAG = uuid.uuid4().hex[:8]


UNLIMITED = 10_000_000  # requests per minute of the bucket when measuring capacity


def configure_environment(args: argparse.Namespace, speed_factor: float, *, quota: int | None = None) -> dict[str, str]:
    tag = RUN_TAG  # one broker/cache namespace for the whole benchmark: settings are read once
    quota = args.quota if quota is None else quota
    env = {
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mm_bench_fetch"),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"),
        "CELERY_KEY_PREFIX": f"bench-fetch-{tag}:",
        "CACHE_KEY_PREFIX": f"bench-fetch-{tag}",
        "FOOTBALL_API_URL": f"http://127.0.0.1:{args.port}/v4/",
        # The bucket works in real time: the scaled quota is quota x speed requests per real minute.
        "FOOTBALL_API_REQUESTS_PER_MINUTE": str(int(quota * speed_factor) if quota else UNLIMITED),
        # A tenth of a second of *unscaled* quota: a burst never overruns a provider window.
        "FOOTBALL_API_BURST": str(max(2, quota // 600) if quota else UNLIMITED // 60),
        "FETCH_RATE_PENALTY_SECONDS": str(60 / speed_factor),
        "FETCH_RETRY_BASE_SECONDS": str(max(0.2, 2 / speed_factor)),
        "FETCH_CHUNK_SIZE": str(args.chunk_size),
        "BENCH_SPEED_FACTOR": str(speed_factor),
        "BENCH_NAIVE_RATE": str(args.naive_rate),
        "DJANGO_SETTINGS_MODULE": "app.settings",
    }
    os.environ.update(env)
    return env


def sim_get(port: int, path: str, method: str = "GET") -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def ensure_database() -> None:
    """Create the bench's database when it does not exist yet (a fresh machine)."""
    from urllib.parse import urlsplit

    import psycopg

    url = urlsplit(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    server = url._replace(scheme="postgresql", path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def start_simulator(
    args: argparse.Namespace, speed_factor: float, *, quota: int | None = None
) -> subprocess.Popen[bytes]:
    quota = args.quota if quota is None else quota
    log = (ROOT / "var" / "bench-fetch-simulator.log").open("a")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_simulated_provider", "--port", str(args.port), "--quota", str(quota),
         "--speed-factor", str(speed_factor), "--error-rate", str(args.error_rate),
         "--unknown-rate", str(args.unknown_rate), "--seed", "11"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ),
    )  # fmt: skip
    for _ in range(100):
        try:
            sim_get(args.port, "/_stats")
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("simulated provider did not start, see var/bench-fetch-simulator.log")


def start_workers(n: int, concurrency: int, *, include_naive: bool = False) -> list["CeleryWorker"]:
    from devtools.celery_worker import CeleryWorker, worker_environment

    class BenchWorker(CeleryWorker):
        """A CeleryWorker that also imports this module, so it knows the naive baseline task."""

        def start(self, timeout: float = 60) -> None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            command = [sys.executable, "-m", "celery", "-A", "app", "worker", "--loglevel=WARNING",
                       f"--concurrency={self.concurrency}", "--pool=prefork", f"--hostname={self.name}",
                       "--without-gossip", "--without-mingle"]  # fmt: skip
            if include_naive:
                command.append("--include=scripts.bench_fetch")
            log = self.log_path.open("ab")
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)  # fmt: skip
            self.wait_ready(timeout)

    workers: list[CeleryWorker] = []
    for _ in range(n):
        worker = BenchWorker(env=worker_environment(), concurrency=concurrency)
        worker.start()
        workers.append(worker)
    return workers


def reset_data() -> None:
    from django.conf import settings
    from django_celery_results.models import TaskResult

    from app.fetching.models import FetchRun
    from app.fetching.services.rate_limit import provider_bucket
    from app.football.models import Match

    FetchRun.objects.all().delete()
    Match.objects.all().delete()
    TaskResult.objects.filter(task_name="fetching.fetch_chunk").delete()
    provider_bucket(settings.FOOTBALL_PROVIDER).reset()  # no tokens or penalty left over from the previous run


def take_ids(port: int, n: int) -> list[int]:
    ids = sim_get(port, f"/_ids?count={n}")["ids"]
    if len(ids) < n:  # never measure a smaller run than the one asked for
        sys.exit(f"the simulated provider has only {len(ids)} ids, {n} were asked for")
    return ids


def chunk_database_ms(chunk_size: int) -> dict[str, float]:
    """Database time of the chunk tasks that stored a full chunk (from their results)."""
    from django_celery_results.models import TaskResult

    times = []
    for result in TaskResult.objects.filter(task_name="fetching.fetch_chunk", status="SUCCESS").values_list(
        "result", flat=True
    ):
        outcome = json.loads(result or "{}")
        if isinstance(outcome, dict) and outcome.get("fetched") == chunk_size and "db_ms" in outcome:
            times.append(outcome["db_ms"])
    times.sort()
    if not times:
        return {"chunks": 0, "mean": 0.0, "p50": 0.0}
    return {"chunks": len(times), "mean": sum(times) / len(times), "p50": times[len(times) // 2]}


def measure_capacity(args: argparse.Namespace) -> float:
    """Requests per second the pipeline sustains here with no quota at all."""
    configure_environment(args, 1.0, quota=0)
    simulator = start_simulator(args, 1.0, quota=0)
    workers = []
    try:
        ids = take_ids(args.port, args.capacity_ids)
        reset_data()
        workers = start_workers(args.workers, args.concurrency)
        print(f"\nCapacity: {len(ids)} ids, quota off…")
        result = run_ours(args, ids)
    finally:
        for worker in workers:
            worker.stop()
        simulator.terminate()
        simulator.wait(timeout=10)
    requests = result["stats"].get("requests", 0)
    capacity = requests / result["wall"]
    print(f"  {requests} requests in {result['wall']:.1f} s: {capacity:.0f} requests/s "
          f"({capacity * 60:.0f}/min) with {args.workers} workers x {args.concurrency} processes")  # fmt: skip
    return capacity


def check_nothing_lost(ids: list[int], port: int) -> dict:
    from app.football.models import Match

    stored = set(Match.objects.filter(provider_id__in=ids).values_list("provider_id", flat=True))
    # The database was emptied before the run: every row beyond one per stored id is a duplicate.
    return {"stored": len(stored), "duplicates": Match.objects.count() - len(stored)}


def run_ours(args: argparse.Namespace, ids: list[int]) -> dict:
    from datetime import timedelta

    from app.fetching.models import FetchFailure, FetchRun
    from app.fetching.services import runs

    sim_get(args.port, "/_reset", "POST")
    run = runs.create_run(provider_ids=ids, trigger=FetchRun.Trigger.COMMAND)
    started = time.monotonic()
    runs.start_run(run.id)
    last_print = 0.0
    first_request = tail_start = None  # when the first id was handled, when 99 % were
    while True:
        run = FetchRun.objects.get(pk=run.id)
        handled = run.done + run.failed
        if first_request is None and handled:
            first_request = time.monotonic() - started
        if tail_start is None and handled >= run.total * 0.99:
            tail_start = time.monotonic() - started
        if not run.is_active:
            break
        if time.monotonic() - last_print > 10:
            last_print = time.monotonic()
            print(f"  {time.monotonic() - started:6.1f}s  {run.done + run.failed}/{run.total}", flush=True)
        runs.resume_stalled_runs(stalled_after=timedelta(seconds=120))  # what beat would do
        time.sleep(0.5)
    wall = time.monotonic() - started
    stats = sim_get(args.port, "/_stats")
    reasons = set(FetchFailure.objects.filter(run=run).values_list("reason", flat=True))
    # Where the time beyond the quota goes: before the first chunk is done, and the last 1 % (stragglers).
    phases = {"start": first_request or 0.0, "tail": wall - (tail_start or wall)}
    return {"wall": wall, "stats": stats, "done": run.done, "failed": run.failed, "pending": run.pending,
            "failure_reasons": sorted(reasons), "phases": phases, **check_nothing_lost(ids, args.port)}  # fmt: skip


def run_naive(args: argparse.Namespace, ids: list[int], timeout: float) -> dict:
    import redis
    from celery import group
    from django.conf import settings

    counters = redis.Redis.from_url(settings.REDIS_URL)
    counters.delete(NAIVE_COUNTER.format("done"), NAIVE_COUNTER.format("failed"))
    sim_get(args.port, "/_reset", "POST")
    started = time.monotonic()
    group(naive_fetch.si(pid) for pid in ids).apply_async()
    finished = False
    last_print = 0.0
    while time.monotonic() - started < timeout:
        done = int(counters.get(NAIVE_COUNTER.format("done")) or 0)
        failed = int(counters.get(NAIVE_COUNTER.format("failed")) or 0)
        if done + failed >= len(ids):
            finished = True
            break
        if time.monotonic() - last_print > 10:
            last_print = time.monotonic()
            print(f"  {time.monotonic() - started:6.1f}s  {done + failed}/{len(ids)}", flush=True)
        time.sleep(0.5)
    wall = time.monotonic() - started
    stats = sim_get(args.port, "/_stats")
    return {"wall": wall, "stats": stats, "done": done, "failed": failed, "finished": finished,
            **check_nothing_lost(ids, args.port)}  # fmt: skip


def report(
    title: str, n: int, result: dict, args: argparse.Namespace, speed: float, *, extrapolate_to: int | None = None
) -> None:
    limit = n / args.quota * 60 / speed  # real seconds the quota allows at best
    stats = result["stats"]
    requests = stats.get("requests", 0)
    quota_429 = stats.get("quota_429", 0) + stats.get("random_429", 0)
    print(f"\n== {title}: {n} ids ==")
    print(f"  wall time            {result['wall']:8.1f} s real = {result['wall'] * speed / 60:6.1f} min provider time")
    print(f"  quota limit (ids/quota) {limit:5.1f} s real = {n / args.quota:6.1f} min provider time")
    print(f"  ratio to quota limit {result['wall'] / limit:8.2f}x")
    print(f"  requests sent        {requests:8d}  ({requests / n:.3f} per id; 5xx {stats.get('errors_5xx', 0)}, "
          f"404 {stats.get('not_found', 0)})")  # fmt: skip
    print(f"  answered 429         {quota_429:8d}  ({100 * quota_429 / max(requests, 1):.2f} % of requests)")
    print(f"  busiest quota window {stats.get('window_max', 0):8d}  (quota {args.quota})")
    print(f"  stored / failed      {result['stored']:8d} / {result['failed']}  (404s: unknown ids) "
          f"of {n}; duplicates {result['duplicates']}")  # fmt: skip
    lost = n - result["stored"] - result["failed"]
    print(f"  lost                 {lost:8d}")
    if "phases" in result:
        share = limit / 100  # the last 1 % of the ids, at the quota's pace
        print(f"  first chunk done at  {result['phases']['start']:8.1f} s;  last 1 % of the ids took "
              f"{result['phases']['tail']:.1f} s (at the quota's pace {share:.1f} s)")  # fmt: skip
    if extrapolate_to:
        handled = max(1, result["done"] + result["failed"])
        seconds = result["wall"] * extrapolate_to / handled
        limit_to = extrapolate_to / args.quota * 60 / speed
        print(f"  extrapolated to {extrapolate_to} ids at the same pace ({handled} handled): ~{seconds:.0f} s real = "
              f"{seconds * speed / 60:.0f} min provider time ({seconds / limit_to:.1f}x the quota limit)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ids", default="20000", help="run sizes, comma separated (e.g. 20000,200000)")
    parser.add_argument("--capacity-ids", type=int, default=3000, help="ids of the quota-off capacity run")
    parser.add_argument("--headroom", type=float, default=0.6, help="scaled quota / measured capacity at most")
    parser.add_argument("--naive-ids", type=int, default=300, help="0 skips the naive run")
    parser.add_argument("--naive-speed-factor", type=float, default=1.0)
    parser.add_argument("--naive-rate", type=int, default=60, help="the baseline's rate_limit per worker, per minute")
    parser.add_argument("--skip-ours", action="store_true", help="only the naive baseline")
    parser.add_argument("--naive-timeout", type=float, default=300.0)
    parser.add_argument("--quota", type=int, default=1200, help="provider requests per minute")
    parser.add_argument("--speed-factor", default="auto", help="a number, or auto (from the capacity run)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4, help="pool processes per worker")
    parser.add_argument("--chunk-size", type=int, default=50)
    parser.add_argument("--error-rate", type=float, default=0.01)
    parser.add_argument("--unknown-rate", type=float, default=0.005)
    parser.add_argument("--port", type=int, default=8250)
    args = parser.parse_args()

    sizes = [int(n) for n in str(args.ids).split(",")]
    sys.path.insert(0, str(ROOT))
    configure_environment(args, 1.0)
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    (ROOT / "var").mkdir(exist_ok=True)
    ids: list[int] = []
    if not args.skip_ours:
        if args.speed_factor == "auto":
            capacity = measure_capacity(args)
            # The scaled quota (quota x speed per real minute) must stay well inside what the
            # pipeline can do, or the run measures this machine instead of the quota.
            speed = max(0.1, math.floor(capacity * 60 * args.headroom / args.quota * 10) / 10)
            print(f"  speed factor {speed}: scaled quota {args.quota * speed / 60:.0f} requests/s = "
                  f"{100 * args.quota * speed / 60 / capacity:.0f} % of the capacity")  # fmt: skip
        else:
            speed = float(args.speed_factor)
        args.speed_factor = speed
        configure_environment(args, speed)
        print(f"\nTime is scaled by speed factor {speed}: a provider minute lasts "
              f"{60 / speed:.1f} real seconds; quota {args.quota}/provider minute; "
              f"{args.workers} workers x {args.concurrency} processes; 5xx {args.error_rate:.1%}, "
              f"unknown ids {args.unknown_rate:.1%}.")  # fmt: skip
        simulator = start_simulator(args, speed)
        workers = []
        per_chunk = {}
        from devtools.settle import settle_database

        try:
            workers = start_workers(args.workers, args.concurrency)
            for n in sizes:
                ids = take_ids(args.port, n)
                reset_data()
                settle_database(FETCH_TABLES)  # the deletes above are not vacuumed during the run
                print(f"\nOur fetch run over {len(ids)} ids…")
                ours = run_ours(args, ids)
                report("FetchRun + chunk tasks + Redis token bucket", len(ids), ours, args, speed)
                per_chunk[n] = figures = chunk_database_ms(args.chunk_size)
                print(f"  database per full chunk {figures['mean']:8.1f} ms mean, {figures['p50']:.1f} ms p50 "
                      f"({figures['chunks']} chunks)", flush=True)  # fmt: skip
        finally:
            for worker in workers:
                worker.stop()
            simulator.terminate()
            simulator.wait(timeout=10)
        print(f"\ndatabase time per full chunk of {args.chunk_size} ids "
              "(its SQL statements and commits, summed in the chunk task)")  # fmt: skip
        first = sizes[0]
        for n, figures in per_chunk.items():
            ratio = figures["mean"] / per_chunk[first]["mean"] if per_chunk[first]["mean"] else 0
            print(f"  {n:8d} ids: {figures['chunks']:5d} chunks, mean {figures['mean']:7.1f} ms, "
                  f"p50 {figures['p50']:7.1f} ms, x{ratio:.2f} of the {first}-id run")  # fmt: skip
    else:
        configure_environment(args, 1.0)
        simulator = start_simulator(args, 1.0)
        try:
            ids = take_ids(args.port, sizes[-1])
        finally:
            simulator.terminate()
            simulator.wait(timeout=10)
    if not args.naive_ids:
        return
    # Celery's rate_limit ticks on a coarse timer: scaled up it under-delivers, so by default the
    # naive baseline runs in real time (speed factor 1) on fewer ids and is extrapolated.
    speed = args.naive_speed_factor
    configure_environment(args, speed)
    naive_ids = ids[: args.naive_ids]
    print(f"\nNaive group over {len(naive_ids)} ids (rate_limit '{round(args.naive_rate * speed)}/m' per worker = "
          f"'{args.naive_rate}/m' at "
          f"speed factor {speed}; retry countdown {60 / speed:.0f} s)…")  # fmt: skip
    simulator = start_simulator(args, speed)
    workers = []
    try:
        reset_data()
        workers = start_workers(args.workers, args.concurrency, include_naive=True)
        naive = run_naive(args, naive_ids, timeout=args.naive_timeout)
        title = f"naive group of tasks, rate_limit='{args.naive_rate}/m', retry(countdown=60)"
        report(title, len(naive_ids), naive, args, speed,
               extrapolate_to=len(ids))  # fmt: skip
        if not naive["finished"]:
            print(f"  (the naive run did not finish within {args.naive_timeout:.0f} s; figures are for what it did)")
    finally:
        for worker in workers:
            worker.stop()
        simulator.terminate()
        simulator.wait(timeout=10)


if __name__ == "__main__":
    main()
