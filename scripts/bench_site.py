#!/usr/bin/env python3
"""Load check of the public site against a floor measured in the same run.

    scripts/bench_site.py [--duration 5] [--connections 16,50] [--port 18810] [--profile]

Every page is measured beside a floor: `/i18n/setlang/` answered with a GET (a 302 through the
whole middleware stack, no template, no query), and printed as a share of the floor's requests/s.
Two ways in, each at every --connections value:
  direct  gunicorn with the options of deploy/systemd/gunicorn.service rendered with roles/app's
          defaults (worker class, workers for this machine's CPUs, threads, keep-alive), caches warm;
  nginx   the appliance's site, rendered from deploy/nginx/macmerkezi.conf by the nginx role's
          template (ansible-playbook), micro-cache on, in front of the same gunicorn.
Then "today": nginx with its micro-cache off in front of a gunicorn with the page cache off
(WEB_PAGE_CACHE_SECONDS=0, every request rendered), for the league table and the results page,
so the match-day gain is a ratio measured side by side. `--profile` first prints where the time
of one render goes (cProfile, page cache off).

Uses its own database (default mm_bench_site, created and filled with the demo data when empty),
its own Redis key prefix and ports from --port up (port .. port+3). Needs wrk and nginx.
"""

import argparse
import cProfile
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from types import CodeType

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent

FLOOR = ("floor: /i18n/setlang/ (302)", "/i18n/setlang/")
PAGES = {
    "home": "/",
    "league table 2023-24": "/lig/super-lig/2023-24/",
    "results, first page": "/maclar/",
    "results, filtered (team + dates)": "/maclar/?takim=galatasaray&baslangic=2015-01-01&bitis=2024-06-30",
    "results, deep page (keyset)": "/maclar/?once=1950-01-01.1",
    "team page": "/takim/fenerbahce/",
}  # and "match page": the newest international with goalscorers, found in the database (main)
TODAY_PAGES = ("league table 2023-24", "results, first page")

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH requests=%d errors=%d non2xx=%d duration_us=%d p50_us=%d p95_us=%d\\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, summary.errors.status, summary.duration,
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


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def match_page_url() -> str:
    from app.football.models import Match

    match = Match.objects.filter(season__competition__slug="uluslararasi", goals__isnull=False).order_by("-date")[0]
    return f"/mac/{match.external_id}/"


def count_queries(pages: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Queries per request, page cache off: cold (standings and filter choices not cached) and warm.

    With the page cache on, a warm request to any page costs no query at all (two Redis reads).
    """
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from app.football.services.data_version import data_changed

    settings.WEB_PAGE_CACHE_SECONDS = 0
    client = Client()
    counts = {}
    for name, url in pages.items():
        data_changed()  # a new version: filter choices are computed again
        from app.football.models import Season
        from app.football.services.standings import invalidate_standings

        invalidate_standings(Season.objects.values_list("id", flat=True))
        runs = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code in (200, 302), (url, response.status_code)
            runs.append(len(queries))
        counts[name] = (runs[0], runs[1])
    settings.WEB_PAGE_CACHE_SECONDS = 120
    return counts


def profile(pages: dict[str, str], renders: int = 20) -> None:
    """Where one render's time goes (page cache off, standings and filter choices warm)."""
    from django.conf import settings
    from django.test import Client

    settings.WEB_PAGE_CACHE_SECONDS = 0
    client = Client()
    print(f"\nprofile: {renders} renders per page, page cache off (cProfile adds overhead; compare shares)")
    for name, url in pages.items():
        client.get(url)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(renders):
            client.get(url)
        profiler.disable()
        elapsed = (time.perf_counter() - started) / renders * 1000
        # Time spent in each function itself (pstats' tottime); built-ins have no file.
        own_time = [
            (entry.code.co_filename if isinstance(entry.code, CodeType) else "~", entry.inlinetime)
            for entry in profiler.getstats()
        ]
        total = sum(seconds for _, seconds in own_time)
        groups = {"template rendering": ("django/template",), "translation": ("django/utils/translation", "gettext"),
                  "database": ("django/db", "psycopg"), "forms": ("django/forms",), "urls": ("django/urls",),
                  "cache (Redis)": ("django/core/cache", "redis")}  # fmt: skip
        shares = {group: 0.0 for group in groups}
        for filename, seconds in own_time:
            for group, needles in groups.items():
                if any(needle in filename for needle in needles):
                    shares[group] += seconds
                    break
        parts = ", ".join(f"{group} {100 * value / total:.0f}%" for group, value in shares.items() if value)
        print(f"  {name:34} {elapsed:6.1f} ms/render: {parts}")
    settings.WEB_PAGE_CACHE_SECONDS = 120


def wait_for(check: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise TimeoutError(f"{what} did not come up")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def start_gunicorn(
    options: list[str], env: dict[str, str], *, port: int, sock: Path, page_cache: bool
) -> subprocess.Popen:
    env = env | {"WEB_PAGE_CACHE_SECONDS": "120" if page_cache else "0"}
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "app.wsgi:application", "-b", f"127.0.0.1:{port}", "-b", f"unix:{sock}",
         *options, "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    wait_for(lambda: port_open(port) and sock.exists(), f"gunicorn on {port}")
    from devtools.gunicorn_unit import wait_for_workers

    wait_for_workers(process, int(options[options.index("--workers") + 1]))
    return process


def render_site(tmp: Path, *, port: int, sock: Path, cache_seconds: int) -> Path:
    """The appliance's nginx site, rendered by the same template task as roles/nginx, on our ports."""
    from devtools.nginx_site import NGINX_SITE, render

    site = tmp / f"site-{port}.conf"
    extra = {
        "app_server_names": ["127.0.0.1"],
        "nginx_port": port,
        "nginx_listen_ipv6": False,
        "app_gunicorn_socket": str(sock),
        "nginx_flower_htpasswd": str(tmp / "htpasswd"),
        "nginx_page_cache_seconds": cache_seconds,
        "nginx_page_cache_path": str(tmp / f"cache-{port}"),
        "app_var_dir": str(tmp / "var"),
    }
    render(NGINX_SITE, site, extra)
    site.write_text(site.read_text().replace("/var/log/nginx/", f"{tmp}/"))
    return site


def start_nginx(tmp: Path, site: Path, port: int) -> subprocess.Popen:
    """nginx with Debian's main configuration around the site (worker_processes auto, 768 connections)."""
    prefix = tmp / f"nginx-{port}"
    prefix.mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes auto;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
        "events { worker_connections 768; }\n"
        "http {\n  sendfile on;\n  tcp_nopush on;\n  types_hash_max_size 2048;\n"
        "  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        f"  client_body_temp_path {prefix}/body;\n  proxy_temp_path {prefix}/proxy;\n"
        f"  fastcgi_temp_path {prefix}/fastcgi;\n  uwsgi_temp_path {prefix}/uwsgi;\n  scgi_temp_path {prefix}/scgi;\n"
        f"  gzip on;\n  include {site};\n}}\n"
    )
    process = subprocess.Popen(
        ["nginx", "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"], start_new_session=True
    )  # fmt: skip
    wait_for(lambda: port_open(port), f"nginx on {port}")
    return process


def run_wrk(url: str, connections: int, args: argparse.Namespace, script: str) -> dict[str, float]:
    result = subprocess.run(
        ["wrk", f"-t{min(args.threads, connections)}", f"-c{connections}", f"-d{args.duration}s", "-s", script, url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    found = re.search(
        r"BENCH requests=(\d+) errors=(\d+) non2xx=(\d+) duration_us=(\d+) p50_us=(\d+) p95_us=(\d+)", result.stdout
    )
    if found is None:
        raise RuntimeError(f"wrk printed no BENCH line (its report script did not run):\n{result.stdout}")
    requests, errors, non2xx, duration_us, p50, p95 = map(int, found.groups())
    return {"rps": requests / (duration_us / 1e6), "p50": p50 / 1000, "p95": p95 / 1000, "errors": errors,
            "non2xx": non2xx}  # fmt: skip


def measure(base: str, urls: dict[str, str], args: argparse.Namespace, script: str, *, floor: bool = True) -> dict:
    """{connections: {name: figures}}; the floor first, then every page, caches warmed first."""
    results: dict[int, dict[str, dict]] = {}
    for connections in args.connections:
        results[connections] = {}
        targets = ({FLOOR[0]: FLOOR[1]} if floor else {}) | urls
        for name, path in targets.items():
            for _ in range(2):
                urllib.request.urlopen(base + path, timeout=30).read() if name != FLOOR[0] else None
            results[connections][name] = run_wrk(base + path, connections, args, script)
    return results


def print_table(title: str, results: dict, queries: dict[str, tuple[int, int]]) -> None:
    print(f"\n{title}")
    header = f"{'page':34} {'queries':>9}"
    for connections in results:
        header += f" | c{connections}: {'req/s':>7} {'share':>5} {'p50 ms':>6} {'p95 ms':>6}"
    print(header)
    names = list(next(iter(results.values())))
    for name in names:
        cold, warm = queries.get(name, (0, 0))
        line = f"{name:34} {f'{cold}/{warm}':>9}"
        for figures in results.values():
            floor = figures[FLOOR[0]]["rps"]
            row = figures[name]
            flag = "!" if row["errors"] or (row["non2xx"] and name != FLOOR[0]) else " "
            line += f" | {'':4}{row['rps']:7.0f} {row['rps'] / floor:5.2f} {row['p50']:6.1f} {row['p95']:6.1f}{flag}"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="mm_bench_site")
    parser.add_argument("--port", type=int, default=18810, help="uses this port and the next three")
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement")
    parser.add_argument("--connections", default="16,50", help="comma separated")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--profile", action="store_true", help="print where a render's time goes first")
    args = parser.parse_args()
    args.connections = [int(c) for c in args.connections.split(",")]
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed: apt-get install {tool}")

    env = environment(args)
    ensure_database(args, env)
    django_setup(env)
    from devtools.gunicorn_unit import appliance_gunicorn_options

    pages = {**PAGES, "match page": match_page_url()}
    queries = count_queries({FLOOR[0]: FLOOR[1], **pages})
    if args.profile:
        profile(pages)

    tmp = Path(tempfile.mkdtemp(prefix="bench-site-"))
    options = appliance_gunicorn_options(tmp)
    script = tmp / "report.lua"
    script.write_text(WRK_SCRIPT)
    (tmp / "htpasswd").write_text("ops:x\n")
    direct_port, nginx_port, today_port, today_direct = args.port, args.port + 1, args.port + 2, args.port + 3
    processes = []
    try:
        sock, today_sock = tmp / "gunicorn.sock", tmp / "gunicorn-today.sock"
        processes.append(start_gunicorn(options, env, port=direct_port, sock=sock, page_cache=True))
        processes.append(start_gunicorn(options, env, port=today_direct, sock=today_sock, page_cache=False))
        site = render_site(tmp, port=nginx_port, sock=sock, cache_seconds=5)
        processes.append(start_nginx(tmp, site, nginx_port))
        today_site = render_site(tmp, port=today_port, sock=today_sock, cache_seconds=0)
        processes.append(start_nginx(tmp, today_site, today_port))

        direct = measure(f"http://127.0.0.1:{direct_port}", pages, args, str(script))
        through_nginx = measure(f"http://127.0.0.1:{nginx_port}", pages, args, str(script))
        today = measure(f"http://127.0.0.1:{today_port}", {n: pages[n] for n in TODAY_PAGES}, args, str(script))
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)

    load = os.getloadavg()[0]
    print(f"\ngunicorn {' '.join(options)} (deploy/systemd/gunicorn.service with roles/app's defaults), "
          f"PostgreSQL {args.database}, Redis cache; wrk -t{args.threads}, "
          f"{args.duration}s per figure, {os.cpu_count()} CPUs (shared), load average {load:.1f}")  # fmt: skip
    print(
        "share = req/s / the floor's req/s at the same connections, same run; queries = cold/warm per render "
        "with the page cache off (a page-cache hit costs none); ! = errors or non-2xx answers"
    )
    print_table("direct to gunicorn (page cache warm)", direct, queries)
    print_table("through nginx (micro-cache on, 5 s)", through_nginx, queries)
    print_table("through nginx, today: micro-cache off, page cache off (every request rendered)", today, queries)
    print("\nmatch day through nginx: micro-cache vs today")
    for connections in args.connections:
        for name in TODAY_PAGES:
            now, before = through_nginx[connections][name]["rps"], today[connections][name]["rps"]
            print(f"  c{connections} {name:30} {before:8.0f} -> {now:8.0f} req/s  x{now / before:.1f}")


if __name__ == "__main__":
    main()
