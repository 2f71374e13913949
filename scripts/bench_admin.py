#!/usr/bin/env python3
"""The admin's match list at full size: queries and latency per page, signed in as a superuser.

    scripts/bench_admin.py [--database mm_bench_site] [--requests 40]

Uses the database of scripts/bench_site.py (the demo data, about 59,000 matches; created and
loaded when missing). Each URL is requested --requests times in one Django process through the
whole middleware stack (the test client: no network, no gunicorn); prints queries per request
and p50/p95, the list as staff open it first beside a few filtered views, and a floor measured
in the same run (the two-row competition list: the admin's own cost on this machine right now).
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URLS = {
    "floor: competition list (2 rows)": "/admin/football/competition/",
    "match list (as opened)": "/admin/football/match/",
    "page 100": "/admin/football/match/?p=100",
    "one competition": "/admin/football/match/?season__competition__id__exact={competition}",
    "a year (?date__year=2010)": "/admin/football/match/?date__year=2010",
    "search 'Galatasaray'": "/admin/football/match/?q=Galatasaray",
    "search 'Friendly' (18,000 hits)": "/admin/football/match/?q=Friendly",
    "search '\"World Cup\" Brazil'": "/admin/football/match/?q=%22World+Cup%22+Brazil",
    "with facet counts (?_facets=1)": "/admin/football/match/?_facets=1",
}
FACETS = "with facet counts (?_facets=1)"
DEFAULT_ONLY = {
    FACETS,
    "floor: competition list (2 rows)",
}  # shown for comparison, not part of the target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="mm_bench_site")
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "scripts"))
    import bench_site

    env = bench_site.environment(args)
    bench_site.ensure_database(args, env)
    bench_site.django_setup(env)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from app.football.models import Competition, Match

    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    competition = Competition.objects.get(slug="super-lig").id
    matches = Match.objects.count()

    print(f"{matches:,} matches, {args.requests} requests per URL, {os.cpu_count()} CPUs (shared), "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"{'admin match list':34} {'queries':>7} {'p50 ms':>7} {'p95 ms':>7}")
    worst_queries, worst_p95 = 0, 0.0
    for name, url in URLS.items():
        url = url.format(competition=competition)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries: list[str] = []

        def count(execute: Callable[..., Any], sql: str, *rest: Any, queries: list[str] = queries) -> Any:
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            client.get(url)
        timings = []
        # Facet counts take seconds a page: a few requests show that well enough.
        for _ in range(args.requests if name != FACETS else max(3, args.requests // 8)):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(f"{name:34} {len(queries):7d} {statistics.median(timings):7.1f} {p95:7.1f}")
        if name not in DEFAULT_ONLY:
            worst_queries, worst_p95 = max(worst_queries, len(queries)), max(worst_p95, p95)
    verdict = "met" if worst_queries <= 8 and worst_p95 < 150 else "NOT met"
    print(f"target (<= 8 queries, p95 < 150 ms, facets off by default): {verdict} "
          f"(worst {worst_queries} queries, p95 {worst_p95:.1f} ms)")  # fmt: skip


if __name__ == "__main__":
    main()
