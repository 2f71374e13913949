"""Read paths of fetch runs shared by the admin, the web pages and the JSON endpoint."""

from django.conf import settings
from django.db.models import Count, QuerySet

from app.fetching.models import FailureReason, FetchFailure, FetchItem, FetchRun


def flower_task_url(task_id: str) -> str:
    return f"{settings.FLOWER_URL.rstrip('/')}/task/{task_id}" if task_id else ""


def can_view_runs(user) -> bool:
    return user.is_authenticated and (
        user.is_staff or user.has_perm("fetching.view_fetchrun") or user.has_perm("fetching.start_fetch_run")
    )


def run_failures(run_id: int, *, limit: int = 100) -> QuerySet[FetchFailure]:
    return FetchFailure.objects.filter(run_id=run_id).order_by("provider_id")[:limit]


def recent_task_ids(run_id: int, *, limit: int = 5) -> list[str]:
    """The chunk tasks that touched the run's items last (for Flower links), newest first."""
    seen: list[str] = []
    task_ids = (
        FetchItem.objects.filter(run_id=run_id)
        .exclude(task_id="")
        .order_by("-updated_at")
        .values_list("task_id", flat=True)
    )
    for task_id in task_ids[: limit * 100]:
        if task_id not in seen:
            seen.append(task_id)
            if len(seen) == limit:
                break
    return seen


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
    }


def flower_base() -> str:
    return settings.FLOWER_URL.rstrip("/") + "/"
