"""THE chaos test of issue 4: 2,000 ids, a misbehaving provider, a worker SIGKILLed mid-run."""

import time

import pytest
from django.db.models import Count

from app.fetching.models import FetchFailure, FetchItem, FetchRun
from app.fetching.services import runs
from app.football.models import Goal, Match
from tests.fetching.workers import fetch_worker, wait_for_run

pytestmark = [pytest.mark.worker]


def test_two_thousand_ids_survive_chaos_and_a_killed_worker(start_simulator, transactional_db, settings):
    settings.FETCH_CHUNK_SIZE = 25
    sim = start_simulator(
        quota=0, error_rate=0.10, rate_429=0.05, timeout_rate=0.02, unknown_rate=0.01,
        hang_seconds=1.0, speed_factor=20, seed=4,
    )  # fmt: skip
    catalogue = sim.state.catalogue.by_competition
    ids = catalogue["TSL"][-1000:] + catalogue["INT"][-1000:]  # recent internationals have goals
    unknown = {pid for pid in ids if sim.state.is_unknown(pid)}
    assert 5 <= len(unknown) <= 50

    first, second = fetch_worker(sim), fetch_worker(sim)
    first.start()
    second.start()
    replacement = None
    try:
        run = runs.create_run(provider_ids=ids)
        runs.start_run(run.id)
        print(time.strftime("%X"), "started")
        wait_for_run(run.id, timeout=180, until=lambda r: r.done + r.failed >= 600 or not r.is_active)
        print(time.strftime("%X"), "killing a worker")
        first.kill()  # SIGKILL: the chunks it was working on are redelivered after the visibility timeout
        time.sleep(1)
        replacement = fetch_worker(sim)
        replacement.start()
        run = wait_for_run(run.id, timeout=300)
        print(time.strftime("%X"), "finished")
    finally:
        for worker in (first, second, replacement):
            if worker:
                worker.stop()

    stats = sim.state.stats()
    assert stats["errors_5xx"] > 100 and stats["random_429"] > 50 and stats["timeouts"] > 20
    assert run.status == "finished"
    assert (run.total, run.pending) == (2000, 0)
    assert run.done + run.failed == 2000
    # Every id is stored or failed as unknown; no transient error is left over as a failure.
    failures = FetchFailure.objects.filter(run=run)
    assert set(failures.values_list("provider_id", flat=True)) == unknown
    assert set(failures.values_list("reason", flat=True)) == {"not_found"}
    assert run.failed == len(unknown)
    stored = set(Match.objects.values_list("provider_id", flat=True))
    assert stored == set(ids) - unknown
    assert FetchItem.objects.filter(run=run, state="done").count() == len(stored)
    # Zero duplicates: one row per real match, one goal per (match, sequence).
    assert Match.objects.count() == len(stored)
    assert not Match.objects.values("date", "home_team", "away_team").annotate(n=Count("id")).filter(n__gt=1)
    expected_goals = sum(len(sim.state.catalogue.matches[pid].goals) for pid in stored)
    assert Goal.objects.count() == expected_goals
    run = FetchRun.objects.get(pk=run.id)
    assert run.created_matches + run.updated_matches + run.unchanged_matches == run.done
