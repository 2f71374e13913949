"""Small factories for domain objects; each call makes distinct, valid rows."""

import itertools
from datetime import date

from app.football.models import Competition, Match, Season, Team

_counter = itertools.count(1)


def make_competition(**overrides) -> Competition:
    n = next(_counter)
    fields = {"name": f"Lig {n}", "slug": f"lig-{n}", "kind": Competition.Kind.LEAGUE} | overrides
    return Competition.objects.create(**fields)


def make_season(competition: Competition | None = None, **overrides) -> Season:
    competition = competition or make_competition()
    year = overrides.pop("start_year", 2000 + next(_counter) % 50)
    return Season.objects.create(competition=competition, start_year=year, name=f"{year}-{(year + 1) % 100:02d}",
                                 **overrides)  # fmt: skip


def make_team(name: str | None = None, **overrides) -> Team:
    return Team.objects.create(name=name or f"Takım {next(_counter)}", **overrides)


def make_match(season: Season | None = None, home: Team | None = None, away: Team | None = None, **overrides) -> Match:
    n = next(_counter)
    fields = {
        "external_id": f"test-{n}",
        "season": season or make_season(),
        "date": date(2023, 8, 1 + n % 28),
        "home_team": home or make_team(),
        "away_team": away or make_team(),
        "home_score": 1,
        "away_score": 0,
    } | overrides
    return Match.objects.create(**fields)
