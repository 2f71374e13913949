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


def rows_scanned(plan: dict) -> int:
    """Rows the plan's table and index scans read: those passed on and those their filters removed."""
    own = 0
    if "Relation Name" in plan:
        own = plan.get("Actual Rows", 0) * plan.get("Actual Loops", 1) + plan.get("Rows Removed by Filter", 0)
    return own + sum(rows_scanned(child) for child in plan.get("Plans", []))


def analyze_items() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE fetching_fetchitem")


@pytest.mark.django_db
@pytest.mark.postgres_only("the plan of PostgreSQL's planner, from its statistics")
@pytest.mark.parametrize("statistics", ["of an empty table", "of a table of deleted runs", "fresh"])
def test_a_chunk_reads_only_its_own_items_however_large_the_run(settings, statistics):
    ids = list(range(SYNTHETIC_BASE + 1, SYNTHETIC_BASE + 20_001))
    if statistics == "of a table of deleted runs":  # pages full of dead rows: "0 rows" to the planner
        started_run(ids, settings).delete()
    analyze_items()  # a new run's items are not in these statistics
    run = started_run(ids, settings, chunk_size=50)
    if statistics == "fresh":
        analyze_items()

    plan = json.loads(runs.pending_items(run.id, 300).explain(format="json", analyze=True))[0]["Plan"]

    assert rows_scanned(plan) <= 2 * 50, json.dumps(plan)


def match_rows_scanned() -> int:
    """Rows of football_match read by sequential scans in this transaction so far."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(seq_tup_read, 0) FROM pg_stat_xact_user_tables WHERE relname = 'football_match'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.postgres_only("PostgreSQL's kept plans of foreign-key checks")
def test_storing_a_chunk_never_scans_the_match_table_as_it_grows(simulator, client_for, settings):
    """The foreign-key checks of a chunk's writes: planned while the table was nearly empty, they
    must not stay sequential scans of it once it holds thousands of matches."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE football_match")  # statistics of an empty table, older than what follows
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the checks a commit would run, run here
    run = started_run(list(range(SYNTHETIC_BASE + 1, SYNTHETIC_BASE + 201)), settings, chunk_size=20)
    provider = client_for(simulator)
    for chunk in range(5):  # a new install's first chunks: the match table nearly empty
        runs.process_chunk(run_id=run.id, chunk=chunk, provider=provider)
    template = Match.objects.values().first()
    Match.objects.bulk_create(
        Match(**{**template, "id": None, "external_id": f"grown-{n}", "provider_id": None}) for n in range(20_000)
    )
    before = match_rows_scanned()

    runs.process_chunk(run_id=run.id, chunk=5, provider=provider)

    assert counters(run.id)[1] == 120
    assert match_rows_scanned() - before < 2_000  # without replanning: 20 checks x 20,100 rows


@pytest.mark.django_db
@pytest.mark.postgres_only("PostgreSQL's plan_cache_mode")
def test_a_chunk_leaves_the_connection_planning_as_before(simulator, client_for, settings):
    """The worker's next task (an import, say) keeps PostgreSQL's kept plans."""
    run = started_run(list(range(SYNTHETIC_BASE + 1, SYNTHETIC_BASE + 21)), settings)

    runs.process_chunk(run_id=run.id, chunk=0, provider=client_for(simulator))

    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "auto"
