"""Celery tasks of fetch runs: thin wrappers that pass ids to services.runs.

All are acks_late (the project default, repeated here because it is the point): a worker killed
mid-task hands the message back and the task, written to be idempotent, runs again.
"""

from datetime import timedelta

from celery import Task, shared_task
from django.utils import timezone

from app.fetching import dispatch
from app.fetching.models import FetchRun
from app.fetching.providers.base import TransientProviderError
from app.fetching.services import runs

UNEXPECTED_RETRIES = 10


@shared_task(bind=True, name=dispatch.LIST_RUN_MATCHES, acks_late=True, max_retries=UNEXPECTED_RETRIES)
def list_run_matches(self: Task, run_id: int) -> int:
    try:
        return runs.list_run_matches(run_id=run_id)
    except TransientProviderError as exc:
        raise self.retry(
            exc=exc, countdown=runs.retry_delay(retries=self.request.retries, retry_after=exc.retry_after)
        ) from exc


@shared_task(name=dispatch.DISPATCH_RUN, acks_late=True)
def dispatch_run(run_id: int) -> int:
    return runs.dispatch_run(run_id=run_id)


@shared_task(bind=True, name=dispatch.FETCH_CHUNK, acks_late=True, max_retries=None)
def fetch_chunk(self: Task, run_id: int, chunk: int) -> dict:
    try:
        outcome = runs.process_chunk(run_id=run_id, chunk=chunk, task_id=self.request.id)
    except Exception as exc:
        # A bug or a database hiccup: the chunk's items stay pending; try a few more times.
        if self.request.retries >= UNEXPECTED_RETRIES:
            raise
        raise self.retry(exc=exc, countdown=runs.retry_delay(retries=self.request.retries)) from exc
    if outcome.pending:
        # Items with transient errors: the same chunk again later, with backoff, after Retry-After.
        countdown = runs.retry_delay(retries=self.request.retries, retry_after=outcome.retry_after)
        raise self.retry(countdown=countdown)
    return outcome.as_dict()


@shared_task(name="fetching.resume_stalled_runs", acks_late=True)
def resume_stalled_runs() -> list[int]:
    return runs.resume_stalled_runs()


@shared_task(name="fetching.daily_fetch", acks_late=True)
def daily_fetch(competition_code: str = "TSL", days_back: int = 3, days_forward: int = 0) -> int:
    """Beat: fetch the recent matches of a competition (results come in after the games)."""
    today = timezone.localdate()
    return runs.start_range_run(
        competition_code=competition_code,
        date_from=today - timedelta(days=days_back),
        date_to=today + timedelta(days=days_forward),
        trigger=FetchRun.Trigger.SCHEDULE,
    ).id
