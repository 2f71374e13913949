"""One season calendar: which season a date is in, and when a season ends, at its boundaries."""

from datetime import date

import pytest

from app.football.models import Competition
from app.football.seasons import CALENDAR_YEAR, LEAGUE_CALENDAR, calendar_for, season_over


@pytest.mark.parametrize(
    ("day", "season"),
    [(date(2024, 6, 30), 2023), (date(2024, 7, 1), 2024), (date(2024, 8, 31), 2024), (date(2025, 1, 1), 2024)],
)
def test_a_league_season_starts_on_1_july(day, season):
    assert LEAGUE_CALENDAR.season_for(day) == season


def test_a_league_season_accepts_early_starts_and_late_finishes_but_not_more():
    assert LEAGUE_CALENDAR.season_window(2024) == (date(2024, 6, 1), date(2025, 8, 31))
    assert LEAGUE_CALENDAR.contains(date(2024, 6, 1), 2024) and not LEAGUE_CALENDAR.contains(date(2024, 5, 31), 2024)
    assert LEAGUE_CALENDAR.contains(date(2025, 8, 31), 2024) and not LEAGUE_CALENDAR.contains(date(2025, 9, 1), 2024)
    assert LEAGUE_CALENDAR.season_end(2024) == date(2025, 6, 30)
    assert LEAGUE_CALENDAR.season_name(2024) == "2024-25" and LEAGUE_CALENDAR.season_name(1999) == "1999-00"


def test_a_calendar_year_tournament_is_its_year():
    assert [CALENDAR_YEAR.season_for(date(2024, m, d)) for m, d in ((1, 1), (6, 30), (7, 1), (12, 31))] == [2024] * 4
    assert CALENDAR_YEAR.season_window(2024) == (date(2024, 1, 1), date(2024, 12, 31))
    assert CALENDAR_YEAR.season_name(2024) == "2024" and CALENDAR_YEAR.season_end(2024) == date(2024, 12, 31)


def test_the_calendar_follows_the_competition_kind_and_a_stored_end_date_wins():
    league = Competition(kind=Competition.Kind.LEAGUE)
    international = Competition(kind=Competition.Kind.INTERNATIONAL)
    assert calendar_for(league) is LEAGUE_CALENDAR and calendar_for(Competition.Kind.CUP) is LEAGUE_CALENDAR
    assert calendar_for(international) is CALENDAR_YEAR
    assert season_over(league, 2024, end_date=None, today=date(2025, 7, 1))
    assert not season_over(league, 2024, end_date=None, today=date(2025, 6, 30))
    assert not season_over(league, 2024, end_date=date(2025, 7, 15), today=date(2025, 7, 1))
    assert season_over(international, 2024, end_date=None, today=date(2025, 1, 1))
