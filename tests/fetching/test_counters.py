"""A run's counters move by each chunk's own items: exact under redelivery, no scan of the run."""

import json
import threading
import urllib.request

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from app.fetching.models import FetchItem, FetchRun
from app.fetching.services import runs
from app.football.models import Match
from devtools.simulator.catalogue import SYNTHETIC_BASE, synthetic_match

FIRST_SUPER_LIG_ID = 1_000_001
COUNTERS = ("total", "done", "failed", "pending", "created_matches", "updated_matches", "unchanged_matches")


def counters(run_id: int) -> tuple:
    run = FetchRun.objects.get(pk=run_id)
    return tuple(getattr(run, name) for name in (*COUNTERS, "requests", "rate_limited", "status"))


def started_run(ids: list[int], settings, chunk_size: int = 20) -> FetchRun:
    settings.FETCH_CHUNK_SIZE = chunk_size
    run = runs.create_run(provider_ids=ids)
    FetchRun.objects.filter(pk=run.id).update(status=FetchRun.Status.RUNNING)
    return run


@pytest.mark.django_db
def test_a_chunk_delivered_again_after_it_finished_counts_once_requests_included(simulator, client_for, settings):
    run = started_run(list(range(FIRST_SUPER_LIG_ID, FIRST_SUPER_LIG_ID + 40)), settings)
    provider = client_for(simulator)

    first = runs.process_chunk(run_id=run.id, chunk=0, provider=provider)
    after_first = counters(run.id)
    again = runs.process_chunk(run_id=run.id, chunk=0, provider=provider)

    assert (first.fetched, first.requests) == (20, 20)
    assert (again.fetched, again.requests) == (0, 0)
    assert counters(run.id) == after_first
    assert after_first[:4] == (40, 20, 0, 20) and after_first[7] == 20  # requests


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_of_one_chunk_at_once_count_each_item_once(simulator, client_for, settings):
    run = started_run(list(range(FIRST_SUPER_LIG_ID, FIRST_SUPER_LIG_ID + 20)), settings)
    barrier = threading.Barrier(2)
    outcomes = []

    def deliver() -> None:
        barrier.wait()
        try:
            outcomes.append(runs.process_chunk(run_id=run.id, chunk=0, provider=client_for(simulator)))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    total, done, failed, pending, created, *_rest, requests, _limited, status = counters(run.id)
    assert (total, done, failed, pending, created, status) == (20, 20, 0, 0, 20, "finished")
    assert requests == 20  # each item's request once, whichever delivery stored it
    assert sorted(o.fetched for o in outcomes) in ([0, 20], [20, 20])
    assert Match.objects.filter(provider_id__gte=FIRST_SUPER_LIG_ID).count() == 20
    incremental = counters(run.id)
    assert counters(runs.refresh_run(run.id).id)[:7] == incremental[:7]  # the same as a recount


@pytest.mark.django_db
def test_counters_equal_a_recount_after_errors_unknown_ids_and_retries(start_simulator, client_for, settings):
    sim = start_simulator(error_rate=0.2, unknown_rate=0.1, seed=5)
    settings.FETCH_RETRY_BASE_SECONDS = 0.01
    settings.FETCH_MAX_ATTEMPTS = 3
    run = started_run([*range(FIRST_SUPER_LIG_ID, FIRST_SUPER_LIG_ID + 60), 42], settings)
    provider = client_for(sim)
    for _ in range(10):
        chunks = set(FetchItem.objects.filter(run=run, state="pending").values_list("chunk", flat=True))
        for chunk in sorted(chunks):
            runs.process_chunk(run_id=run.id, chunk=chunk, provider=provider)
    incremental = counters(run.id)

    recounted = counters(runs.refresh_run(run.id).id)

    assert incremental[:7] == recounted[:7]
    assert incremental[2] >= 1 and incremental[1] + incremental[2] == 61  # 42 is unknown
    assert incremental[7] == sum(FetchItem.objects.filter(run=run).values_list("attempts", flat=True))


@pytest.mark.django_db
def test_a_chunk_costs_the_same_queries_in_a_small_and_a_large_run(simulator, client_for, settings):
    provider = client_for(simulator)
    cost = {}
    for size in (40, 4000):
        run = started_run(list(range(FIRST_SUPER_LIG_ID, FIRST_SUPER_LIG_ID + size)), settings)
        runs.process_chunk(run_id=run.id, chunk=1, provider=provider)  # warm: teams and seasons exist
        with CaptureQueriesContext(connection) as queries:
            runs.process_chunk(run_id=run.id, chunk=0, provider=provider)
        cost[size] = [q["sql"] for q in queries]
        Match.objects.all().delete()

    assert len(cost[40]) == len(cost[4000])
    assert not any("COUNT(" in sql or "GROUP BY" in sql for sql in cost[4000])


def test_the_simulator_serves_a_synthetic_catalogue_beyond_the_shipped_matches(simulator):
    def get(path: str) -> dict:
        with urllib.request.urlopen(simulator.url.replace("/v4/", path), timeout=10) as response:
            return json.loads(response.read())

    shipped = len(simulator.state.catalogue.matches)
    ids = get(f"/_ids?count={shipped + 1000}")["ids"]
    body = get(f"/v4/matches/{SYNTHETIC_BASE + 500}")

    assert len(ids) == len(set(ids)) == shipped + 1000
    assert ids[shipped:] == list(range(SYNTHETIC_BASE + 1, SYNTHETIC_BASE + 1001))
    assert body["id"] == SYNTHETIC_BASE + 500 and body["competition"]["code"] == "SYN"
    assert body["homeTeam"]["name"] == synthetic_match(SYNTHETIC_BASE + 500).home != body["awayTeam"]["name"]
    assert get(f"/v4/matches/{SYNTHETIC_BASE + 500}") == body  # the same answer every time


@pytest.mark.django_db
def test_synthetic_matches_are_fetched_and_stored_like_real_ones(simulator, client_for, settings):
    run = started_run(list(range(SYNTHETIC_BASE + 1, SYNTHETIC_BASE + 21)), settings)

    runs.process_chunk(run_id=run.id, chunk=0, provider=client_for(simulator))

    assert counters(run.id)[:5] == (20, 20, 0, 0, 20)
    stored = Match.objects.select_related("home_team").get(provider_id=SYNTHETIC_BASE + 1)
    expected = synthetic_match(SYNTHETIC_BASE + 1)
    assert (stored.home_team.name, stored.home_score, stored.away_score) == (
        expected.home, expected.home_score, expected.away_score,
    )  # fmt: skip
