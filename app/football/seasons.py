"""Facts about league seasons that the stored matches cannot tell."""

# Clubs per season where a source lacks whole clubs: its stored matches alone would make the
# season look complete (2009-10 of the shipped data has 17 of the 18 clubs: 272 of 306 matches).
LEAGUE_TEAM_COUNTS: dict[tuple[str, str], int] = {
    ("super-lig", "2009-10"): 18,
}


def expected_league_matches(*, competition_slug: str, season_name: str, teams_seen: int) -> int | None:
    """Matches of a double round robin: each club plays every other at home and away."""
    teams = max(LEAGUE_TEAM_COUNTS.get((competition_slug, season_name), 0), teams_seen)
    return teams * (teams - 1) if teams > 1 else None
