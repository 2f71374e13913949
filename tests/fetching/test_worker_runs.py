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


def test_run_whose_worker_died_and_messages_vanished_is_finished_by_the_stalled_run_task(
    start_simulator, worker_for, settings
):
    """A power cut without a persistent broker: the worker is SIGKILLed and every message is gone
    (queue and unacknowledged ones). Nothing is redelivered; the beat task alone finishes the run."""
    from app.celery import app as celery_app

    settings.FETCH_CHUNK_SIZE = 20
    sim = start_simulator(slow_ms=20, seed=3)
    ids = sim.state.catalogue.by_competition["TSL"][-600:]
    first = worker_for(sim, concurrency=1)
    run = runs.create_run(provider_ids=ids)
    runs.start_run(run.id)
    wait_for_run(run.id, timeout=120, until=lambda r: r.done >= 60 or not r.is_active, stalled_after=600)
    first.kill()
    prefix = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("global_keyprefix", "")
    celery_app.control.purge()
    with celery_app.connection_for_write() as connection:
        connection.default_channel.client.delete(f"{prefix}unacked", f"{prefix}unacked_index")
    lost = FetchRun.objects.get(pk=run.id)
    assert lost.is_active and lost.pending > 0

    worker_for(sim)
    run = wait_for_run(run.id, timeout=180, stalled_after=5)

    assert (run.status, run.total, run.done, run.pending, run.failed) == ("finished", 600, 600, 0, 0)
    assert set(Match.objects.values_list("provider_id", flat=True)) == set(ids)
    assert Match.objects.count() == 600  # none twice
    # A chunk killed between storing its matches and marking its ids finds them stored: unchanged.
    assert run.created_matches + run.unchanged_matches == 600
