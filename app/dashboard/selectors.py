"""Read paths of the admin dashboard: data volume, Celery workers and queues, recent activity.

The Celery probe talks to the broker with short timeouts and is cached for a few seconds, so
the admin index never hangs on a dead worker and many open admin tabs do not flood the broker.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from kombu.exceptions import ChannelError

from app.fetching.models import FetchRun
from app.football.models import Season
from app.imports.models import ImportFile

log = logging.getLogger(__name__)

PROBE_CACHE_KEY = "dashboard:celery:v1"
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
        .annotate(match_count=Count("matches"))
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
            SeasonCount(name=row["name"], start_year=row["start_year"], matches=row["match_count"])
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
    """Messages waiting per queue, read through kombu's public queue declaration (`message_count`).

    With Redis that is the LLEN of every priority list under the configured `global_keyprefix`,
    exactly as the workers see them. A Redis declaration writes nothing, and kombu's *passive*
    one ignores the key prefix (it would report every queue missing), so Redis is declared plainly;
    other brokers passively, where a queue they do not know has nothing waiting.
    """
    from app.celery import app as celery_app

    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
    lengths = {}
    with celery_app.connection_for_read(transport_options=options) as connection:
        connection.ensure_connection(max_retries=1, timeout=timeout)
        passive = connection.transport.driver_type != "redis"
        for name in queue_names:
            # A fresh channel per queue: AMQP closes the channel on a passive declaration that fails.
            with connection.channel() as channel:
                try:
                    lengths[name] = channel.queue_declare(queue=name, passive=passive).message_count
                except ChannelError:
                    lengths[name] = 0
    return lengths


def flower_url() -> str:
    return settings.FLOWER_URL


# --- Recent activity: imports, fetch runs and what needs attention --------------------------


@dataclass
class Attention:
    label: str
    url: str


@dataclass
class RecentActivity:
    imports: list = field(default_factory=list)  # imports.ImportFile, newest first
    fetch_runs: list = field(default_factory=list)  # fetching.FetchRun, newest first
    failures: list[Attention] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.imports or self.fetch_runs or self.failures)


def recent_activity(*, limit: int = 5, attention_days: int = 7) -> RecentActivity:
    """Last imports, last fetch runs, and what failed in the last week (failed imports, runs with failed ids)."""
    since = timezone.now() - timedelta(days=attention_days)
    failures = [
        Attention(
            label=gettext("Excel: {name} — {error}").format(
                name=item.original_name, error=item.error_message or gettext("içe aktarma hatalı")
            ),
            url=reverse("admin:imports_importfile_change", args=[item.pk]),
        )
        for item in ImportFile.objects.filter(status=ImportFile.Status.FAILED, uploaded_at__gte=since)
        .only("pk", "original_name", "error_message")
        .order_by("-uploaded_at")[:limit]
    ]
    failures += [
        Attention(
            label=gettext("Veri çekme #{id}: {failed} kimlik başarısız ({status})").format(
                id=run.pk, failed=run.failed, status=run.get_status_display()
            ),
            url=reverse("admin:fetching_fetchrun_change", args=[run.pk]),
        )
        for run in FetchRun.objects.filter(created_at__gte=since)
        .filter(Q(failed__gt=0) | Q(status=FetchRun.Status.FAILED))
        .only("pk", "failed", "status")
        .order_by("-created_at")[:limit]
    ]
    return RecentActivity(
        imports=list(ImportFile.objects.select_related("uploaded_by").order_by("-uploaded_at")[:limit]),
        fetch_runs=list(FetchRun.objects.select_related("started_by").order_by("-created_at")[:limit]),
        failures=failures,
    )
