#!/usr/bin/env python3
"""Load check of the public site: gunicorn + PostgreSQL + Redis cache, pages under concurrency.

    scripts/bench_site.py [--duration 10] [--connections 16] [--workers 3] [--port 8350]

Uses its own database (default mm_bench_site, created and filled with the demo data when
empty) and its own Redis key prefixes. Prints, per page: the number of SQL queries of one
request (counted in-process with CaptureQueriesContext, cache warm and cold), requests/second
and p50/p95 latency measured with wrk (or a Python thread pool when wrk is not installed).
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent

PAGES = {
    "league table 2023-24": "/lig/super-lig/2023-24/",
    "results, first page": "/maclar/",
    "results, filtered (team + dates)": "/maclar/?takim=galatasaray&baslangic=2015-01-01&bitis=2024-06-30",
    "results, deep page (keyset)": "/maclar/?once=1950-01-01.1",
    "team page": "/takim/fenerbahce/",
}

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH requests=%d errors=%d duration_us=%d p50_us=%d p95_us=%d\\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout, summary.duration,
    latency:percentile(50.0), latency:percentile(95.0)))
end
"""


def environment(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.database}",
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        CACHE_KEY_PREFIX="bench-site",
        CELERY_KEY_PREFIX="bench-site:",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SETTINGS_MODULE="app.settings",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def ensure_database(args: argparse.Namespace, env: dict[str, str]) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database]).fetchone()
        if not exists:
            print(f"creating database {args.database}")
            connection.execute(f'CREATE DATABASE "{args.database}"')
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    count = subprocess.run(
        [*manage, "shell", "-c", "from app.football.models import Match; print(Match.objects.count())"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    if int(count.splitlines()[-1]) < 50_000:
        print("loading the demo data (about a minute)")
        subprocess.run([*manage, "load_demo_data"], cwd=ROOT, env=env, check=True)
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", args.database, "-qc", "ANALYZE"], check=True)


def count_queries(env: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Queries per page, cold (empty cache) and warm, counted inside one Django process."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from app.football.models import Season
    from app.football.services.standings import invalidate_standings
    from app.web.selectors import FILTER_CHOICES_CACHE_KEY

    client = Client()
    counts = {}
    for name, url in PAGES.items():
        # Empty exactly what the pages cache; cache.clear() would FLUSHDB the shared Redis.
        cache.delete(FILTER_CHOICES_CACHE_KEY)
        invalidate_standings(Season.objects.values_list("id", flat=True))
        runs = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            runs.append(len(queries))
        counts[name] = (runs[0], runs[1])
    return counts


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"gunicorn did not listen on {port}")


def run_wrk(url: str, args: argparse.Namespace, script: str) -> dict[str, float]:
    result = subprocess.run(
        ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "-s", script, url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    match = re.search(r"BENCH requests=(\d+) errors=(\d+) duration_us=(\d+) p50_us=(\d+) p95_us=(\d+)", result.stdout)
    requests, errors, duration_us, p50, p95 = map(int, match.groups())
    return {"rps": requests / (duration_us / 1e6), "p50_ms": p50 / 1000, "p95_ms": p95 / 1000, "errors": errors,
            "requests": requests}  # fmt: skip


def run_pool(url: str, args: argparse.Namespace) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + args.duration

    def worker() -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    response.read()
            except Exception:
                errors += 1
                continue
            latencies.append(time.perf_counter() - start)

    started = time.monotonic()
    with ThreadPoolExecutor(args.connections) as pool:
        for _ in range(args.connections):
            pool.submit(worker)
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "errors": errors,
        "requests": len(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="mm_bench_site")
    parser.add_argument("--port", type=int, default=8350)
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) + 1))
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--python-client", action="store_true", help="use the thread pool even if wrk exists")
    args = parser.parse_args()

    env = environment(args)
    ensure_database(args, env)
    queries = count_queries(env)

    gunicorn = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "app.wsgi", "-b", f"127.0.0.1:{args.port}", "-w", str(args.workers),
         "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    use_wrk = shutil.which("wrk") and not args.python_client
    results = {}
    try:
        wait_for_port(args.port)
        base = f"http://127.0.0.1:{args.port}"
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(WRK_SCRIPT)
        for name, path in PAGES.items():
            urllib.request.urlopen(base + path, timeout=30).read()  # warm the cache and the workers
            results[name] = run_wrk(base + path, args, handle.name) if use_wrk else run_pool(base + path, args)
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)

    tool = f"wrk -t{args.threads} -c{args.connections}" if use_wrk else f"{args.connections} Python threads"
    print(f"\ngunicorn {args.workers} sync workers, PostgreSQL {args.database}, Redis cache; {tool}, "
          f"{args.duration}s per page, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"{'page':36} {'queries cold/warm':>18} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for name, figures in results.items():
        cold, warm = queries[name]
        print(f"{name:36} {f'{cold}/{warm}':>18} {figures['rps']:8.1f} {figures['p50_ms']:8.1f} "
              f"{figures['p95_ms']:8.1f} {figures['errors']:7d}")  # fmt: skip


if __name__ == "__main__":
    main()
