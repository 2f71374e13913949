"""Fetch runs processed in this process (services called directly) against the simulator."""

from datetime import date

import pytest
from django.db.models import Count

from app.fetching.models import FetchFailure, FetchItem, FetchRun
from app.fetching.services import runs
from app.football.models import Goal, Match
from app.football.services.demo_data import load_super_lig
from devtools.simulator import LYING_IDS, POISONED_IDS

pytestmark = pytest.mark.django_db

FIRST_SUPER_LIG_ID = 1_000_001


def process_until_settled(run: FetchRun, provider, *, rounds: int = 20) -> FetchRun:
    """What the chunk tasks and their retries do, inline: chunk after chunk until nothing is pending."""
    FetchRun.objects.filter(pk=run.id).update(status=FetchRun.Status.RUNNING)
    for _ in range(rounds):
        chunks = set(FetchItem.objects.filter(run=run, state=FetchItem.State.PENDING).values_list("chunk", flat=True))
        if not chunks:
            break
        for chunk in sorted(chunks):
            runs.process_chunk(run_id=run.id, chunk=chunk, task_id=f"task-{chunk}", provider=provider)
    return runs.refresh_run(run.id)


def international_ids_with_goals(sim, n: int) -> list[int]:
    return [m.id for m in sim.state.catalogue.matches.values() if len(m.goals) >= 2][:n]


def test_run_stores_matches_goals_and_marks_every_item(simulator, client_for):
    ids = list(range(FIRST_SUPER_LIG_ID, FIRST_SUPER_LIG_ID + 30)) + international_ids_with_goals(simulator, 10)
    run = runs.create_run(provider_ids=ids)

    run = process_until_settled(run, client_for(simulator))

    assert (run.status, run.total, run.done, run.failed, run.pending) == ("finished", 40, 40, 0, 0)
    assert run.created_matches == 40
    assert Match.objects.filter(provider_id__in=ids, source="api").count() == 40
    first = Match.objects.get(provider_id=FIRST_SUPER_LIG_ID)
    assert (first.home_team.name, first.away_team.name, first.home_score, first.away_score) == (
        "Zeytinburnu", "Fenerbahçe", 1, 4,
    )  # fmt: skip
    assert (first.season.competition.slug, first.season.name) == ("super-lig", "1994-95")
    international = Match.objects.get(provider_id=ids[-1])
    assert (international.season.competition.slug, international.season.name) == (
        "uluslararasi",
        str(international.date.year),
    )
    assert international.home_team.is_national
    with_goals = simulator.state.catalogue.matches[ids[-1]]
    assert Goal.objects.filter(match__provider_id=ids[-1]).count() == len(with_goals.goals)


def test_unknown_and_lying_ids_fail_fast_with_their_reason(simulator, client_for):
    ids = [FIRST_SUPER_LIG_ID, 42, *LYING_IDS]
    run = runs.create_run(provider_ids=ids)

    run = process_until_settled(run, client_for(simulator))

    assert (run.done, run.failed, run.pending, run.status) == (1, 1 + len(LYING_IDS), 0, "finished")
    failures = {f.provider_id: f for f in FetchFailure.objects.filter(run=run)}
    assert failures[42].reason == "not_found" and failures[42].http_status == 404
    assert failures[42].attempts == 1 and failures[42].permanent
    assert {failures[pid].reason for pid in LYING_IDS} == {"invalid_payload"}
    assert "score.fullTime.home: -1" in failures[990_000_002].detail
    assert Match.objects.count() == 1


def test_transient_errors_leave_items_pending_then_fail_after_max_attempts(start_simulator, client_for, settings):
    settings.FETCH_MAX_ATTEMPTS = 3
    settings.FETCH_RETRY_BASE_SECONDS = 0.01
    sim = start_simulator(error_rate=1.0)
    run = runs.create_run(provider_ids=[FIRST_SUPER_LIG_ID, FIRST_SUPER_LIG_ID + 1])
    FetchRun.objects.filter(pk=run.id).update(status=FetchRun.Status.RUNNING)
    client = client_for(sim)

    first = runs.process_chunk(run_id=run.id, chunk=0, provider=client)

    assert (first.pending, first.failed) == (2, 0)
    # One attempt, one quick retry in the chunk; the rest is left to the chunk task's countdown.
    assert set(FetchItem.objects.filter(run=run).values_list("attempts", flat=True)) == {2}
    run = process_until_settled(run, client)
    assert (run.failed, run.pending, run.status) == (2, 0, "finished")
    failure = FetchFailure.objects.filter(run=run).first()
    assert failure.reason == "server_error" and failure.attempts == 3 and not failure.permanent


def test_second_run_over_the_same_ids_changes_nothing(simulator, client_for):
    ids = list(range(FIRST_SUPER_LIG_ID, FIRST_SUPER_LIG_ID + 20)) + international_ids_with_goals(simulator, 5)
    process_until_settled(runs.create_run(provider_ids=ids), client_for(simulator))
    before = {m.id: m.updated_at for m in Match.objects.all()}
    goals_before = list(Goal.objects.order_by("id").values_list("id", "match_id", "sequence", "scorer"))

    second = process_until_settled(runs.create_run(provider_ids=ids), client_for(simulator))

    assert (second.unchanged_matches, second.created_matches, second.updated_matches) == (25, 0, 0)
    assert {m.id: m.updated_at for m in Match.objects.all()} == before
    assert list(Goal.objects.order_by("id").values_list("id", "match_id", "sequence", "scorer")) == goals_before


def test_matches_already_stored_from_demo_data_are_updated_not_duplicated(simulator, client_for):
    load_super_lig(limit=50)
    assert Match.objects.count() == 50
    ids = list(range(FIRST_SUPER_LIG_ID, FIRST_SUPER_LIG_ID + 50))

    run = process_until_settled(runs.create_run(provider_ids=ids), client_for(simulator))

    assert Match.objects.count() == 50
    assert (run.created_matches, run.updated_matches) == (0, 50)  # they only gained their provider id
    first = Match.objects.get(provider_id=FIRST_SUPER_LIG_ID)
    assert (first.source, first.tournament, first.country) == ("demo", "Süper Lig", "Türkiye")


def test_range_run_lists_the_matches_first(simulator, client_for):
    run = runs.create_run(competition_code="tsl", date_from=date(2023, 8, 1), date_to=date(2023, 8, 31))
    client = client_for(simulator)

    listed = runs.list_run_matches(run_id=run.id, provider=client)
    run = process_until_settled(run, client)

    assert listed > 0
    assert run.total == listed == run.done
    assert Match.objects.filter(date__range=(date(2023, 8, 1), date(2023, 8, 31))).count() == listed


def test_range_run_of_an_unknown_competition_fails_with_the_reason(simulator, client_for):
    run = runs.create_run(competition_code="XYZ", season=2023)

    runs.list_run_matches(run_id=run.id, provider=client_for(simulator))

    run.refresh_from_db()
    assert run.status == "failed" and "not_found" in run.error


def test_a_cancelled_run_leaves_its_items_pending_for_a_resume(simulator, client_for):
    run = runs.create_run(provider_ids=range(FIRST_SUPER_LIG_ID, FIRST_SUPER_LIG_ID + 5))
    FetchRun.objects.filter(pk=run.id).update(status=FetchRun.Status.RUNNING)
    assert runs.cancel_run(run_id=run.id)

    outcome = runs.process_chunk(run_id=run.id, chunk=0, provider=client_for(simulator))

    assert outcome.skipped
    assert FetchItem.objects.filter(run=run, state="pending").count() == 5


def test_items_are_split_into_chunks_and_never_repeated(settings):
    settings.FETCH_CHUNK_SIZE = 4
    run = runs.create_run(provider_ids=[5, 6, 7, 5, 8, 9, 10, 11, 12, 13])

    chunks = dict(FetchItem.objects.filter(run=run).values_list("chunk").annotate(n=Count("id")))

    assert run.total == 9
    assert chunks == {0: 4, 1: 4, 2: 1}


def test_parse_ids_rejects_what_is_not_an_id():
    assert runs.parse_ids("5, 6\n7;5 8") == [5, 6, 7, 8]
    with pytest.raises(runs.FetchRequestError):
        runs.parse_ids("5 abc")
    with pytest.raises(runs.FetchRequestError):
        runs.parse_ids("-3")


def test_retry_delay_grows_with_jitter_and_honours_retry_after(settings):
    settings.FETCH_RETRY_BASE_SECONDS = 1
    settings.FETCH_RETRY_MAX_SECONDS = 100

    assert 0.5 <= runs.retry_delay(retries=0) <= 1
    assert 4 <= runs.retry_delay(retries=3) <= 8
    assert runs.retry_delay(retries=0, retry_after=30) >= 30
    assert runs.retry_delay(retries=20) <= 100


def test_a_poisoned_record_fails_alone_and_the_rest_of_its_chunk_is_stored(simulator, client_for):
    valid = list(range(FIRST_SUPER_LIG_ID, FIRST_SUPER_LIG_ID + 5))
    run = runs.create_run(provider_ids=[*valid, *POISONED_IDS])

    run = process_until_settled(run, client_for(simulator))

    assert (run.status, run.done, run.failed, run.pending) == ("finished", 5, len(POISONED_IDS), 0)
    failures = {f.provider_id: f for f in FetchFailure.objects.filter(run=run)}
    assert set(failures) == set(POISONED_IDS)
    assert all(f.reason == "invalid_payload" and f.permanent and f.attempts == 1 for f in failures.values())
    assert "homeTeam.name: U+0000" in failures[990_000_101].detail
    assert "competition.code: 30 > 16" in failures[990_000_102].detail
    assert Match.objects.filter(provider_id__in=valid).count() == 5 and Match.objects.count() == 5


@pytest.mark.postgres_only("SQLite does not enforce a column's length, so nothing refuses the record there")
def test_a_record_the_database_refuses_fails_alone_even_past_the_field_checks(simulator, client_for, monkeypatch):
    monkeypatch.setattr(runs, "provider_match_problem", lambda match: None)  # as if a check were missing
    valid = list(range(FIRST_SUPER_LIG_ID, FIRST_SUPER_LIG_ID + 3))
    run = runs.create_run(provider_ids=[*valid, 990_000_102])

    run = process_until_settled(run, client_for(simulator))

    assert (run.status, run.done, run.failed, run.pending) == ("finished", 3, 1, 0)
    failure = FetchFailure.objects.get(run=run)
    assert failure.provider_id == 990_000_102 and failure.detail.startswith("database: ")
    assert Match.objects.filter(provider_id__in=valid).count() == 3
