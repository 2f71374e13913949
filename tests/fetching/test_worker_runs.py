"""Fetch runs carried out by real Celery worker processes."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from app.fetching.models import FetchRun
from app.fetching.services import runs
from app.football.models import Match
from tests.fetching.workers import fetch_worker, wait_for_run

pytestmark = [pytest.mark.worker]


@pytest.fixture
def worker_for(transactional_db):
    started = []

    def start(sim, **kwargs):
        worker = fetch_worker(sim, **kwargs)
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def test_range_run_lists_then_fetches_every_match_on_a_worker(start_simulator, worker_for):
    sim = start_simulator(error_rate=0.1, seed=7)
    worker_for(sim)
    run = runs.create_run(competition_code="TSL", date_from=date(2023, 8, 1), date_to=date(2023, 9, 30))

    runs.start_run(run.id)
    run = wait_for_run(run.id, timeout=120)

    assert run.status == "finished"
    assert run.total > 30 and run.done == run.total and run.failed == 0
    assert Match.objects.filter(date__range=(date(2023, 8, 1), date(2023, 9, 30)), source="api").count() == run.total
    assert sim.state.stats()["errors_5xx"] > 0  # errors happened, and were retried away


def test_stalled_run_is_resumed_by_the_beat_task_service(start_simulator, worker_for, settings):
    settings.FETCH_CHUNK_SIZE = 10
    sim = start_simulator()
    worker_for(sim)
    run = runs.create_run(provider_ids=range(1_000_001, 1_000_041))
    # Its messages were lost (say Redis restarted empty): running, no progress for an hour.
    FetchRun.objects.filter(pk=run.id).update(
        status=FetchRun.Status.RUNNING, last_progress_at=timezone.now() - timedelta(hours=1)
    )

    resumed = runs.resume_stalled_runs()
    run = wait_for_run(run.id, timeout=60)

    assert resumed == [run.id]
    assert (run.status, run.done, run.pending) == ("finished", 40, 0)
