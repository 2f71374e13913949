"""Which season a date is in, and the other facts about seasons that the stored matches cannot tell.

One calendar per kind of competition, and every source (Excel, the API fetch, the demo loader,
the preview) asks it:

- a **league** season (Süper Lig, cups) is named by the year it starts in (`2023-24`). A date
  belongs to the season that starts on 1 July of its year, or of the year before (so 30 June 2024
  is in 2023-24 and 1 July 2024 in 2024-25). The season ends on 30 June; a match dated between
  1 June of its first year and 31 August of its last is still accepted as one of its matches
  (early starts, summer play-offs and late finishes);
- a **calendar-year** competition (internationals, World Cup and European Championship editions)
  has seasons named by their year (`2024`), from 1 January to 31 December.
"""

from dataclasses import dataclass
from datetime import date

from app.football.models import Competition

LEAGUE_FIRST_MONTH = 7  # 1 July: the first day of a league season
LEAGUE_WINDOW = ((6, 1), (8, 31))  # earliest (first year) and latest (next year) date a season's match may have

# Clubs per season where a source lacks whole clubs: its stored matches alone would make the
# season look complete (2009-10 of the shipped data has 17 of the 18 clubs: 272 of 306 matches).
LEAGUE_TEAM_COUNTS: dict[tuple[str, str], int] = {
    ("super-lig", "2009-10"): 18,
}


@dataclass(frozen=True)
class SeasonCalendar:
    calendar_year: bool

    def season_for(self, day: date) -> int:
        """The start year of the season a match on this day belongs to."""
        if self.calendar_year:
            return day.year
        return day.year if day.month >= LEAGUE_FIRST_MONTH else day.year - 1

    def season_window(self, start_year: int) -> tuple[date, date]:
        """The first and last day a match of this season may be dated."""
        if self.calendar_year:
            return date(start_year, 1, 1), date(start_year, 12, 31)
        (first_month, first_day), (last_month, last_day) = LEAGUE_WINDOW
        return date(start_year, first_month, first_day), date(start_year + 1, last_month, last_day)

    def contains(self, day: date, start_year: int) -> bool:
        first, last = self.season_window(start_year)
        return first <= day <= last

    def season_name(self, start_year: int) -> str:
        """`2023-24` for a league season starting in 2023, `2023` for a calendar-year one."""
        if self.calendar_year:
            return str(start_year)
        return f"{start_year}-{(start_year + 1) % 100:02d}"

    def season_end(self, start_year: int) -> date:
        """The nominal last day of the season (a season whose stored end date is unknown is over after it)."""
        if self.calendar_year:
            return date(start_year, 12, 31)
        return date(start_year + 1, LEAGUE_FIRST_MONTH - 1, 30)


LEAGUE_CALENDAR = SeasonCalendar(calendar_year=False)
CALENDAR_YEAR = SeasonCalendar(calendar_year=True)


def calendar_for(competition: Competition | str) -> SeasonCalendar:
    """The calendar of a competition (or of a competition kind): international ones run by calendar year."""
    kind = competition if isinstance(competition, str) else competition.kind
    return CALENDAR_YEAR if kind == Competition.Kind.INTERNATIONAL else LEAGUE_CALENDAR


def season_over(competition: Competition, start_year: int, *, end_date: date | None, today: date) -> bool:
    """Whether a season is over: its stored end date, else its calendar's nominal end, lies before today."""
    return (end_date or calendar_for(competition).season_end(start_year)) < today


def expected_league_matches(*, competition_slug: str, season_name: str, teams_seen: int) -> int | None:
    """Matches of a double round robin: each club plays every other at home and away."""
    teams = max(LEAGUE_TEAM_COUNTS.get((competition_slug, season_name), 0), teams_seen)
    return teams * (teams - 1) if teams > 1 else None
