"""The football-data v4 client against the simulated provider: a real HTTP server, no mocks."""

from datetime import date

import pytest

from app.fetching.providers.base import PermanentProviderError, TransientProviderError
from app.fetching.providers.football_data import parse_retry_after
from app.fetching.services.rate_limit import TokenBucket
from devtools.simulator import LYING_IDS

FIRST_SUPER_LIG_ID = 1_000_001  # 1994-08-13 Zeytinburnu 1-4 Fenerbahce


def test_get_match_returns_score_teams_date_and_competition(simulator, client_for):
    match = client_for(simulator).get_match(FIRST_SUPER_LIG_ID)

    assert match.provider_id == FIRST_SUPER_LIG_ID
    assert (match.home.name, match.away.name) == ("Zeytinburnu", "Fenerbahce")
    assert (match.home_score, match.away_score, match.status) == (1, 4, "FINISHED")
    assert match.date == date(1994, 8, 13)
    assert match.kickoff is None  # midnight UTC means "time unknown"
    assert (match.competition_code, match.season_start_year) == ("TSL", 1994)


def test_get_match_includes_goals_of_international_matches(simulator, client_for):
    sim_match = next(m for m in simulator.state.catalogue.matches.values() if len(m.goals) >= 3)

    match = client_for(simulator).get_match(sim_match.id)

    assert len(match.goals) == len(sim_match.goals)
    assert match.goals_included
    assert {g.team_provider_id for g in match.goals} <= {match.home.provider_id, match.away.provider_id}


def test_unknown_id_is_a_permanent_not_found(simulator, client_for):
    with pytest.raises(PermanentProviderError) as error:
        client_for(simulator).get_match(123)
    assert (error.value.reason, error.value.status) == ("not_found", 404)


def test_quota_exhaustion_is_a_transient_429_with_retry_after_and_pauses_the_bucket(
    start_simulator, client_for, bucket_key, bucket_redis_url
):
    sim = start_simulator(quota=3, speed_factor=6)  # a 10-second "minute"
    bucket = TokenBucket(
        key=bucket_key, requests_per_minute=100_000, burst=50, penalty_seconds=5, redis_url=bucket_redis_url
    )
    client = client_for(sim, rate_limiter=bucket)
    for n in range(3):
        client.get_match(FIRST_SUPER_LIG_ID + n)

    with pytest.raises(TransientProviderError) as error:
        client.get_match(FIRST_SUPER_LIG_ID + 3)

    assert (error.value.reason, error.value.status) == ("rate_limited", 429)
    assert 0 < error.value.retry_after <= 10
    state = bucket.state()
    assert state.penalties == 1
    assert state.paused_for > 0
    assert sim.state.stats()["quota_429"] == 1


@pytest.mark.parametrize("config", [{"error_rate": 1.0}, {"rate_429": 1.0}])
def test_server_errors_and_random_429s_are_transient(start_simulator, client_for, config):
    sim = start_simulator(**config)

    with pytest.raises(TransientProviderError) as error:
        client_for(sim).get_match(FIRST_SUPER_LIG_ID)

    assert error.value.status in (429, 500, 502, 503)


def test_a_hanging_provider_is_a_transient_timeout(start_simulator, client_for):
    sim = start_simulator(timeout_rate=1.0, hang_seconds=1.0)

    with pytest.raises(TransientProviderError) as error:
        client_for(sim, read_timeout=0.2).get_match(FIRST_SUPER_LIG_ID)

    assert error.value.reason == "timeout"


@pytest.mark.parametrize(
    ("lie", "detail"),
    [
        ("missing_home_team", "homeTeam"),
        ("negative_score", "score.fullTime.home: -1"),
        ("plays_itself", "awayTeam"),
        ("garbage_json", "JSON"),
        ("wrong_id", "id:"),
        ("finished_without_score", "score.fullTime"),
    ],
)
def test_payloads_that_cannot_be_true_are_permanent_invalid_payload_errors(simulator, client_for, lie, detail):
    provider_id = next(pid for pid, kind in LYING_IDS.items() if kind == lie)

    with pytest.raises(PermanentProviderError) as error:
        client_for(simulator).get_match(provider_id)

    assert error.value.reason == "invalid_payload"
    assert detail in error.value.detail


def test_token_is_sent_and_a_wrong_one_is_a_permanent_client_error(start_simulator, client_for):
    sim = start_simulator(token="s3cret")

    assert client_for(sim, token="s3cret").get_match(FIRST_SUPER_LIG_ID).home_score == 1
    with pytest.raises(PermanentProviderError) as error:
        client_for(sim, token="wrong").get_match(FIRST_SUPER_LIG_ID)
    assert error.value.status == 403


def test_list_matches_filters_by_competition_and_date_range(simulator, client_for):
    matches = client_for(simulator).list_matches(
        competition_code="TSL", date_from=date(2023, 8, 1), date_to=date(2023, 8, 31)
    )

    assert matches
    assert all(date(2023, 8, 1) <= m.date <= date(2023, 8, 31) for m in matches)
    assert all(m.competition_code == "TSL" and not m.goals_included for m in matches)


def test_retry_after_accepts_seconds_fractions_and_http_dates():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("0.25") == 0.25
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
