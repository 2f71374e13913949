import pytest

from app.football.models import Season
from app.football.services.demo_data import load_super_lig
from app.football.services.standings import compute_standings, get_standings
from tests.factories import make_match, make_season, make_team

pytestmark = pytest.mark.django_db


def test_super_lig_2023_24_table_matches_reality():
    load_super_lig()
    season = Season.objects.get(competition__slug="super-lig", start_year=2023)

    table = get_standings(season.id)

    assert [row.team_name for row in table.rows[:2]] == ["Galatasaray", "Fenerbahçe"]
    galatasaray, fenerbahce = table.rows[0], table.rows[1]
    assert (galatasaray.points, galatasaray.played, galatasaray.won, galatasaray.drawn, galatasaray.lost) == (
        102, 38, 33, 3, 2)  # fmt: skip
    assert (fenerbahce.points, fenerbahce.played) == (99, 38)
    assert all(row.played == 38 for row in table.rows)
    assert table.matches_counted == 380


def test_incomplete_season_says_how_many_matches_it_is_built_on():
    load_super_lig()
    season = Season.objects.get(competition__slug="super-lig", start_year=2009)

    assert compute_standings(season.id).matches_counted == 272


def test_table_orders_by_points_then_goal_difference_then_goals_scored():
    season = make_season()
    a, b, c, d = (make_team(name) for name in ["Alfa", "Beta", "Gama", "Delta"])
    make_match(season, a, d, home_score=1, away_score=0)  # A: 3 pts, GD +1, GF 1
    make_match(season, b, d, home_score=3, away_score=2)  # B: 3 pts, GD +1, GF 3
    make_match(season, c, d, home_score=2, away_score=0)  # C: 3 pts, GD +2

    rows = compute_standings(season.id).rows

    assert [row.team_name for row in rows] == ["Gama", "Beta", "Alfa", "Delta"]
    assert [row.position for row in rows] == [1, 2, 3, 4]
    assert rows[3].form == ["L", "L", "L"]
    assert rows[3].goal_difference == -4


def test_unplayed_matches_do_not_count():
    season = make_season()
    make_match(season, home_score=None, away_score=None, status="SCHEDULED")
    make_match(season, home_score=2, away_score=2)

    table = compute_standings(season.id)

    assert table.matches_counted == 1
    assert sorted(row.points for row in table.rows) == [1, 1]
