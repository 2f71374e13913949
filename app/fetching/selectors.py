"""Read paths of fetch runs shared by the admin, the web pages and the JSON endpoint."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, QuerySet
from django.utils import timezone

from app.fetching.models import FailureReason, FetchFailure, FetchItem, FetchRun


def flower_task_url(task_id: str) -> str:
    return f"{settings.FLOWER_URL.rstrip('/')}/task/{task_id}" if task_id else ""


VIEW_PERMISSIONS = ("fetching.view_fetchrun", "fetching.change_fetchrun")
START_PERMISSION = "fetching.start_fetch_run"


def can_view_runs(user: User | AnonymousUser) -> bool:
    """The admin's rule for seeing runs (view or change permission), for every entry to a run."""
    return user.is_authenticated and any(user.has_perm(perm) for perm in VIEW_PERMISSIONS)


def can_operate_runs(user: User | AnonymousUser) -> bool:
    """Start, stop, resume and retry: the permission the admin's run actions ask for."""
    return user.is_authenticated and user.has_perm(START_PERMISSION)


def run_actions(run: FetchRun) -> dict[str, bool]:
    """The operator actions that make sense for a run in its present state."""
    stalled = (
        run.is_active
        and run.last_progress_at is not None
        and (timezone.now() - run.last_progress_at).total_seconds() > settings.FETCH_STALLED_AFTER_SECONDS
    )
    return {
        "cancel": run.is_active,
        "resume": bool(run.pending) and (not run.is_active or stalled),
        "retry_failed": bool(run.failed),
    }


def chunk_tasks(run_id: int, *, limit: int = 200) -> list[tuple[int, str]]:
    """(chunk number, task id) of every chunk task that worked on the run, in chunk order."""
    pairs = (
        FetchItem.objects.filter(run_id=run_id)
        .exclude(task_id="")
        .values_list("chunk", "task_id")
        .distinct()
        .order_by("chunk", "task_id")
    )
    return list(pairs[:limit])


def run_failures(run_id: int, *, limit: int = 100) -> QuerySet[FetchFailure]:
    return FetchFailure.objects.filter(run_id=run_id).order_by("provider_id")[:limit]


def failure_rows(run_id: int, *, limit: int = 100) -> list[dict]:
    """The failure table's rows as JSON-safe dicts: the page redraws them while the run goes on."""
    return [
        {
            "provider_id": failure.provider_id,
            "reason": str(failure.get_reason_display()),
            "detail": failure.detail,
            "http_status": failure.http_status,
            "attempts": failure.attempts,
            "permanent": failure.permanent,
            "task_url": flower_task_url(failure.task_id),
        }
        for failure in run_failures(run_id, limit=limit)
    ]


def failures_by_reason(run_id: int) -> dict[str, int]:
    return dict(
        FetchFailure.objects.filter(run_id=run_id)
        .values_list("reason")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("reason", "n")
    )


def run_status(run: FetchRun) -> dict:
    """Everything a script (or the progress bar) needs to follow a run; JSON-safe."""
    eta = run.eta
    elapsed = run.elapsed
    reasons = failures_by_reason(run.id)
    return {
        "id": run.id,
        "status": run.status,
        "status_display": str(run.get_status_display()),
        "is_active": run.is_active,
        "kind": run.kind,
        "competition_code": run.competition_code,
        "date_from": run.date_from.isoformat() if run.date_from else None,
        "date_to": run.date_to.isoformat() if run.date_to else None,
        "season": run.season,
        "total": run.total,
        "done": run.done,
        "failed": run.failed,
        "pending": run.pending,
        "progress_percent": run.progress_percent,
        "matches": {
            "created": run.created_matches,
            "updated": run.updated_matches,
            "unchanged": run.unchanged_matches,
        },
        "requests": run.requests,
        "rate_limited": run.rate_limited,
        "rate_limited_percent": run.rate_limited_share,
        "ids_per_minute": run.ids_per_minute,
        "elapsed_seconds": round(elapsed.total_seconds()) if elapsed else None,
        "eta_seconds": round(eta.total_seconds()) if eta else None,
        "created_at": run.created_at.isoformat(),
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "last_progress_at": run.last_progress_at.isoformat() if run.last_progress_at else None,
        "error": run.error,
        "failures_by_reason": [
            {"reason": reason, "label": str(FailureReason(reason).label), "count": count}
            for reason, count in sorted(reasons.items())
        ],
        "task_id": run.task_id,
        "flower_url": flower_task_url(run.task_id),
        "failures": failure_rows(run.id),
    }


def flower_base() -> str:
    return settings.FLOWER_URL.rstrip("/") + "/"
