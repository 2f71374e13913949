"""League tables, computed from stored matches and cached per season.

Ordering rule (documented in the README too): points, then goal difference, then goals scored,
then wins, then team name. Head-to-head tie-breaks, which the Süper Lig applies before goal
difference, are not implemented yet; ties that head-to-head would decide are rare at the top of
a table but can reorder neighbours further down.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.core.cache import cache

from app.football.models import Match, Season, Team

FORM_LENGTH = 5


@dataclass
class StandingRow:
    team_id: int
    team_name: str
    team_slug: str
    played: int = 0
    won: int = 0
    drawn: int = 0
    lost: int = 0
    goals_for: int = 0
    goals_against: int = 0
    points: int = 0
    position: int = 0
    form: list[str] = field(default_factory=list)  # oldest first: "W", "D", "L"

    @property
    def goal_difference(self) -> int:
        return self.goals_for - self.goals_against


@dataclass
class Standings:
    season_id: int
    rows: list[StandingRow]
    matches_counted: int

    def as_dict(self) -> dict:
        return {
            "season_id": self.season_id,
            "matches_counted": self.matches_counted,
            "rows": [asdict(row) | {"goal_difference": row.goal_difference} for row in self.rows],
        }

    def row_for(self, team_name: str) -> StandingRow:
        return next(row for row in self.rows if row.team_name == team_name)


def _cache_key(season_id: int) -> str:
    return f"standings:v1:{season_id}"


def get_standings(season_id: int) -> Standings:
    """The table of a season, from the cache when it is there."""
    cached = cache.get(_cache_key(season_id))
    if cached is not None:
        return cached
    return recalculate_standings(season_id=season_id)


def recalculate_standings(*, season_id: int) -> Standings:
    """Compute the table of a season from its played matches and store it in the cache."""
    standings = compute_standings(season_id)
    cache.set(_cache_key(season_id), standings)
    return standings


def invalidate_standings(season_ids: Iterable[int]) -> None:
    keys = [_cache_key(season_id) for season_id in set(season_ids)]
    if keys:
        cache.delete_many(keys)


def compute_standings(season_id: int) -> Standings:
    season = Season.objects.select_related("competition").get(pk=season_id)
    win_points = season.competition.points_for_win
    matches = (
        Match.objects.filter(season_id=season_id, home_score__isnull=False, away_score__isnull=False)
        .exclude(status=Match.Status.CANCELLED)
        .order_by("date", "kickoff", "id")
        .values_list("home_team_id", "away_team_id", "home_score", "away_score")
    )
    rows: dict[int, StandingRow] = {}
    team_ids = set()
    results = list(matches)
    for home_id, away_id, _, _ in results:
        team_ids.update((home_id, away_id))
    for team_id, name, slug in Team.objects.filter(id__in=team_ids).values_list("id", "name", "slug"):
        rows[team_id] = StandingRow(team_id=team_id, team_name=name, team_slug=slug)

    for home_id, away_id, home_goals, away_goals in results:
        _record(rows[home_id], home_goals, away_goals, win_points)
        _record(rows[away_id], away_goals, home_goals, win_points)

    ordered = sorted(
        rows.values(),
        key=lambda r: (-r.points, -r.goal_difference, -r.goals_for, -r.won, r.team_name),
    )
    for position, row in enumerate(ordered, start=1):
        row.position = position
        row.form = row.form[-FORM_LENGTH:]
    return Standings(season_id=season_id, rows=ordered, matches_counted=len(results))


def _record(row: StandingRow, scored: int, conceded: int, win_points: int) -> None:
    row.played += 1
    row.goals_for += scored
    row.goals_against += conceded
    if scored > conceded:
        row.won += 1
        row.points += win_points
        row.form.append("W")
    elif scored == conceded:
        row.drawn += 1
        row.points += 1
        row.form.append("D")
    else:
        row.lost += 1
        row.form.append("L")
