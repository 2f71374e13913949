"""Read paths of the admin dashboard: data volume, Celery workers and queues, recent activity.

The Celery probe talks to the broker with short timeouts and is cached for a few seconds, so
the admin index never hangs on a dead worker and many open admin tabs do not flood the broker.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from app.football.models import Season

log = logging.getLogger(__name__)

PROBE_CACHE_KEY = "web:dashboard:celery:v1"
PROBE_CACHE_SECONDS = 5
PROBE_TIMEOUT_SECONDS = 1.0


# --- Matches per competition and season ---------------------------------------------------


@dataclass
class SeasonCount:
    name: str
    start_year: int
    matches: int


@dataclass
class CompetitionCount:
    name: str
    slug: str
    kind: str
    seasons: list[SeasonCount] = field(default_factory=list)  # newest first

    @property
    def matches(self) -> int:
        return sum(season.matches for season in self.seasons)

    @property
    def latest(self) -> SeasonCount | None:
        return self.seasons[0] if self.seasons else None


def matches_per_season() -> list[CompetitionCount]:
    """Match counts per season, grouped by competition (one grouped query)."""
    rows = (
        Season.objects.values("name", "start_year", "competition__name", "competition__slug", "competition__kind")
        .annotate(matches=Count("matches"))
        .order_by("competition__name", "-start_year")
    )
    competitions: dict[str, CompetitionCount] = {}
    for row in rows:
        slug = row["competition__slug"]
        if slug not in competitions:
            competitions[slug] = CompetitionCount(
                name=row["competition__name"], slug=slug, kind=row["competition__kind"]
            )
        competitions[slug].seasons.append(
            SeasonCount(name=row["name"], start_year=row["start_year"], matches=row["matches"])
        )
    return list(competitions.values())


# --- Celery --------------------------------------------------------------------------------


@dataclass
class WorkerInfo:
    name: str
    active_tasks: int = 0
    active_task_names: list[str] = field(default_factory=list)
    concurrency: int | None = None
    processed: int | None = None
    queues: list[str] = field(default_factory=list)


@dataclass
class CeleryStatus:
    checked_at: datetime
    workers: list[WorkerInfo] = field(default_factory=list)
    queues: dict[str, int] = field(default_factory=dict)  # queue name -> waiting messages
    broker_error: str = ""
    queue_error: str = ""

    @property
    def has_workers(self) -> bool:
        return bool(self.workers)

    @property
    def waiting(self) -> int:
        return sum(self.queues.values())


def celery_status(*, use_cache: bool = True) -> CeleryStatus:
    """Workers that answer a ping right now, what they run, and how many tasks wait per queue."""
    if use_cache:
        cached = cache.get(PROBE_CACHE_KEY)
        if cached is not None:
            return cached
    status = probe_celery(timeout=PROBE_TIMEOUT_SECONDS)
    cache.set(PROBE_CACHE_KEY, status, PROBE_CACHE_SECONDS)
    return status


def probe_celery(*, timeout: float) -> CeleryStatus:
    from app.celery import app as celery_app

    status = CeleryStatus(checked_at=timezone.now())
    try:
        # A broadcast cannot know how many workers exist, so this one waits the whole timeout.
        replies = celery_app.control.inspect(timeout=timeout).ping() or {}
        names = sorted(replies)
        if names:
            # Now the workers are known: return as soon as each of them answered.
            inspect = celery_app.control.inspect(destination=names, timeout=timeout, limit=len(names))
            active = inspect.active() or {}
            stats = inspect.stats() or {}
            active_queues = inspect.active_queues() or {}
            for name in names:
                tasks = active.get(name) or []
                worker_stats = stats.get(name) or {}
                status.workers.append(
                    WorkerInfo(
                        name=name,
                        active_tasks=len(tasks),
                        active_task_names=sorted({task.get("name", "?") for task in tasks}),
                        concurrency=(worker_stats.get("pool") or {}).get("max-concurrency"),
                        processed=sum((worker_stats.get("total") or {}).values()) if worker_stats else None,
                        queues=sorted(queue["name"] for queue in active_queues.get(name) or []),
                    )
                )
    except Exception as exc:  # the broker itself is unreachable: say so instead of failing the page
        log.warning("Celery inspect failed: %s", exc)
        status.broker_error = str(exc) or exc.__class__.__name__

    queue_names = {celery_app.conf.task_default_queue}
    queue_names.update(queue.name for queue in celery_app.conf.task_queues or ())
    for worker in status.workers:
        queue_names.update(worker.queues)
    try:
        status.queues = queue_lengths(sorted(queue_names), timeout=timeout)
    except Exception as exc:
        log.warning("Reading Celery queue lengths failed: %s", exc)
        status.queue_error = str(exc) or exc.__class__.__name__
    return status


def queue_lengths(queue_names: list[str], *, timeout: float) -> dict[str, int]:
    """Messages waiting per queue, read from the broker (Redis LLEN of each priority list).

    Goes through kombu's channel so that the configured `global_keyprefix` and the priority
    sub-queues are taken into account exactly as the workers see them.
    """
    from app.celery import app as celery_app

    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
    with celery_app.connection_for_read(transport_options=options) as connection:
        connection.ensure_connection(max_retries=1, timeout=timeout)
        channel = connection.default_channel
        return {name: channel._size(name) for name in queue_names}


def flower_url() -> str:
    return settings.FLOWER_URL


# --- Recent activity (wired by the lead once imports and fetching are merged) --------------


@dataclass
class RecentActivity:
    imports: list = field(default_factory=list)  # imports.ImportFile, newest first
    fetch_runs: list = field(default_factory=list)  # fetching.FetchRun, newest first
    failures: list = field(default_factory=list)  # fetching.FetchFailure needing attention

    @property
    def empty(self) -> bool:
        return not (self.imports or self.fetch_runs or self.failures)


def recent_activity(*, limit: int = 5) -> RecentActivity:
    """Last imports, last fetch runs and failures needing attention.

    TODO(lead): fill from `imports.ImportFile` and `fetching.FetchRun` / `FetchFailure` after the
    imports and fetching branches are merged; `admin/dashboard_activity.html` renders the three lists.
    """
    return RecentActivity()
