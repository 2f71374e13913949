"""Real worker processes for fetching tests, pointed at a simulated provider."""

import time
from datetime import timedelta

from app.fetching.models import FetchRun
from app.fetching.services import runs
from devtools.celery_worker import CeleryWorker, worker_environment
from devtools.simulator import SimulatedProvider
from tests.worker_tasks import WORKER_TASKS

# Short timeouts and backoffs so chaos settles in seconds; the visibility timeout is lowered so a
# killed worker's messages come back within the test (countdowns stay below half of it).
FAST_FETCH_ENV = {
    "FOOTBALL_API_REQUESTS_PER_MINUTE": "60000",
    "FOOTBALL_API_READ_TIMEOUT": "0.5",
    "FOOTBALL_API_CONNECT_TIMEOUT": "1",
    "FETCH_RETRY_BASE_SECONDS": "0.2",
    "FETCH_RETRY_MAX_SECONDS": "3",
    "FETCH_RATE_PENALTY_SECONDS": "2",
    "CELERY_VISIBILITY_TIMEOUT": "20",
    "CELERY_UNACKED_RESTORE_INTERVAL": "5",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
}


def fetch_worker(sim: SimulatedProvider, *, concurrency: int = 2) -> CeleryWorker:
    return CeleryWorker(
        env=worker_environment(FOOTBALL_API_URL=sim.url, **FAST_FETCH_ENV),
        concurrency=concurrency,
        include=WORKER_TASKS,
    )


def wait_for_run(run_id: int, *, timeout: float = 120, until=None, stalled_after: float = 60) -> FetchRun:
    """Poll until the run is no longer active (or `until(run)` holds), doing the beat's job meanwhile.

    Like the periodic "resume stalled runs" task in production, a run without progress for
    `stalled_after` seconds is resumed: the broker's messages can vanish (a Redis restart, or
    another test session on this machine flushing the shared Redis database).
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = FetchRun.objects.get(pk=run_id)
        if until(run) if until else not run.is_active:
            return run
        if runs.resume_stalled_runs(stalled_after=timedelta(seconds=stalled_after)):
            print(f"{time.strftime('%X')} resumed stalled run {run_id} at {run.done + run.failed}/{run.total}")
        time.sleep(0.5)
    raise AssertionError(f"run {run_id} still {run.status} after {timeout}s: {run.done}/{run.total} done")
