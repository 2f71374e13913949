import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction

from app.football.services.standings import get_standings, standings_cache_key
from tests.factories import make_match, make_season, make_team

pytestmark = pytest.mark.django_db


def test_a_team_cannot_play_itself():
    team = make_team()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_match(home=team, away=team)


def test_scores_cannot_be_negative():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_match(home_score=-1)


def test_external_id_is_unique():
    make_match(external_id="dup")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_match(external_id="dup")


def test_saving_or_deleting_a_match_invalidates_its_season_table():
    season = make_season()
    home, away = make_team(), make_team()
    match = make_match(season, home, away, home_score=1, away_score=0)
    assert get_standings(season.id).rows[0].team_id == home.id
    assert cache.get(standings_cache_key(season.id)) is not None

    match.home_score, match.away_score = 0, 3
    match.save()
    assert cache.get(standings_cache_key(season.id)) is None
    assert get_standings(season.id).rows[0].team_id == away.id

    match.delete()
    assert cache.get(standings_cache_key(season.id)) is None
    assert get_standings(season.id).matches_counted == 0
