import pytest

from app.football.models import Competition, Season
from app.football.services.demo_data import load_super_lig
from app.football.services.standings import compute_standings, get_standings
from tests.factories import make_competition, make_match, make_season, make_team

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


def _level_on_points_season(tie_break: str, *, both_legs: bool = True):
    """Alfa and Beta end level on points; Alfa has the better goal difference, Beta won the mutual matches."""
    season = make_season(make_competition(tie_break=tie_break))
    alfa, beta, gama = make_team("Alfa"), make_team("Beta"), make_team("Gama")
    make_match(season, beta, alfa, home_score=1, away_score=0)
    if both_legs:
        make_match(season, alfa, beta, home_score=0, away_score=0)
    make_match(season, alfa, gama, home_score=9, away_score=0)
    make_match(season, gama, alfa, home_score=0, away_score=1)
    make_match(season, beta, gama, home_score=1, away_score=0)
    return season


def test_head_to_head_decides_between_teams_level_on_points():
    season = _level_on_points_season(Competition.TieBreak.HEAD_TO_HEAD)

    rows = compute_standings(season.id).rows

    assert [(row.team_name, row.points) for row in rows[:2]] == [("Beta", 7), ("Alfa", 7)]
    assert rows[1].goal_difference > rows[0].goal_difference


def test_goal_difference_rule_ignores_head_to_head():
    season = _level_on_points_season(Competition.TieBreak.GOAL_DIFFERENCE)

    assert [row.team_name for row in compute_standings(season.id).rows[:2]] == ["Alfa", "Beta"]


def test_head_to_head_waits_until_every_mutual_match_is_played():
    season = _level_on_points_season(Competition.TieBreak.HEAD_TO_HEAD, both_legs=False)

    rows = compute_standings(season.id).rows

    assert rows[0].points == rows[1].points
    assert [row.team_name for row in rows[:2]] == ["Alfa", "Beta"]


def test_head_to_head_mini_table_uses_the_competitions_points_for_a_win():
    # Two points for a win: Alfa (a win, a loss, two draws) and Beta (four draws) have the same
    # mini-table points, so Beta's better mutual goal difference places it above Alfa. With three
    # points for a win Alfa would be above Beta.
    season = make_season(make_competition(tie_break=Competition.TieBreak.HEAD_TO_HEAD, points_for_win=2))
    alfa, beta, gama = make_team("Alfa"), make_team("Beta"), make_team("Gama")
    for home, away in ((alfa, beta), (beta, alfa), (beta, gama), (gama, beta)):
        make_match(season, home, away, home_score=0, away_score=0)
    make_match(season, alfa, gama, home_score=1, away_score=0)
    make_match(season, gama, alfa, home_score=3, away_score=0)

    table = compute_standings(season.id)

    assert [(row.team_name, row.points) for row in table.rows] == [("Gama", 4), ("Beta", 4), ("Alfa", 4)]
    assert table.head_to_head_groups == ((gama.id, beta.id, alfa.id),)
