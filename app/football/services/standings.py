"""League tables, computed from stored matches and cached per season.

Ordering rule (documented in the README too), by the competition's `tie_break`:
- `goal_difference`: points, goal difference, goals scored, wins, team name.
- `head_to_head` (Süper Lig): points; then, among the teams level on points and only once they
  have played every match between them, the points, goal difference and goals scored of those
  matches alone; then goal difference, goals scored, wins, team name. While mutual matches are
  still to be played, the overall goal difference decides, as the TFF rules do mid-season.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from itertools import groupby

from django.core.cache import cache
from django.db import transaction

from app.football.models import Competition, Match, Season, Team

# A played match: home team id, away team id, home goals, away goals.
Result = tuple[int, int, int, int]

FORM_LENGTH = 5


@dataclass(kw_only=True)
class Record:
    """Played/won/drawn/lost and goals, from one team's point of view."""

    played: int = 0
    won: int = 0
    drawn: int = 0
    lost: int = 0
    goals_for: int = 0
    goals_against: int = 0

    def add(self, scored: int, conceded: int) -> str:
        """Count one result; returns it as "W", "D" or "L"."""
        self.played += 1
        self.goals_for += scored
        self.goals_against += conceded
        if scored > conceded:
            self.won += 1
            return "W"
        if scored == conceded:
            self.drawn += 1
            return "D"
        self.lost += 1
        return "L"

    @property
    def goal_difference(self) -> int:
        return self.goals_for - self.goals_against

    @property
    def win_percentage(self) -> int:
        return round(100 * self.won / self.played) if self.played else 0


@dataclass(kw_only=True)
class StandingRow(Record):
    team_id: int
    team_name: str
    team_slug: str
    points: int = 0
    position: int = 0
    form: list[str] = field(default_factory=list)  # oldest first: "W", "D", "L"


@dataclass
class Standings:
    season_id: int
    rows: list[StandingRow]
    matches_counted: int
    # Head-to-head only: team ids of each group level on points that their mutual matches
    # ordered, and of each group whose mutual matches are not all played yet (goal difference
    # decided). Tuples, so that tables cached before these fields existed still load.
    head_to_head_groups: tuple[tuple[int, ...], ...] = ()
    head_to_head_pending: tuple[tuple[int, ...], ...] = ()

    def as_dict(self) -> dict:
        return {
            "season_id": self.season_id,
            "matches_counted": self.matches_counted,
            "rows": [asdict(row) | {"goal_difference": row.goal_difference} for row in self.rows],
        }


def standings_cache_key(season_id: int) -> str:
    return f"standings:v3:{season_id}"


def get_standings(season_id: int) -> Standings:
    """The table of a season, from the cache when it is there."""
    cached = cache.get(standings_cache_key(season_id))
    if cached is not None:
        return cached
    return recalculate_standings(season_id=season_id)


def recalculate_standings(*, season_id: int) -> Standings:
    """Compute the table of a season from its played matches and store it in the cache."""
    standings = compute_standings(season_id)
    cache.set(standings_cache_key(season_id), standings)
    return standings


def invalidate_standings(season_ids: Iterable[int]) -> None:
    keys = [standings_cache_key(season_id) for season_id in set(season_ids)]
    if keys:
        cache.delete_many(keys)
        # Again after the commit: a table computed from the old rows in between is not kept.
        transaction.on_commit(lambda: cache.delete_many(keys))


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
    team_ids: set[int] = set()
    # The query already leaves out unplayed matches; the test tells the type checker so.
    results: list[Result] = [
        (home_id, away_id, home_goals, away_goals)
        for home_id, away_id, home_goals, away_goals in matches
        if home_goals is not None and away_goals is not None
    ]
    for home_id, away_id, _, _ in results:
        team_ids.update((home_id, away_id))
    for team_id, name, slug in Team.objects.filter(id__in=team_ids).values_list("id", "name", "slug"):
        rows[team_id] = StandingRow(team_id=team_id, team_name=name, team_slug=slug)

    for home_id, away_id, home_goals, away_goals in results:
        _record(rows[home_id], home_goals, away_goals, win_points)
        _record(rows[away_id], away_goals, home_goals, win_points)

    ordered = sorted(rows.values(), key=_overall_key)
    decided: list[tuple[int, ...]] = []
    pending: list[tuple[int, ...]] = []
    if season.competition.tie_break == Competition.TieBreak.HEAD_TO_HEAD:
        ordered = _apply_head_to_head(ordered, results, win_points=win_points, decided=decided, pending=pending)
    for position, row in enumerate(ordered, start=1):
        row.position = position
        row.form = row.form[-FORM_LENGTH:]
    return Standings(
        season_id=season_id,
        rows=ordered,
        matches_counted=len(results),
        head_to_head_groups=tuple(decided),
        head_to_head_pending=tuple(pending),
    )


def _overall_key(row: StandingRow) -> tuple:
    return (-row.points, -row.goal_difference, -row.goals_for, -row.won, row.team_name)


def _apply_head_to_head(
    ordered: list[StandingRow],
    results: list[Result],
    *,
    win_points: int,
    decided: list[tuple[int, ...]],
    pending: list[tuple[int, ...]],
) -> list[StandingRow]:
    """Reorder each group of teams level on points by the mini-table of their mutual matches.

    Appends each group's team ids (in table order) to `decided` or, while its mutual matches are
    incomplete, to `pending`, so that the page can say which rule placed them.
    """
    reordered: list[StandingRow] = []
    for _, level in groupby(ordered, key=lambda row: row.points):
        tied = list(level)
        if len(tied) > 1:
            sorted_tied = _sort_by_mutual_matches(tied, results, win_points=win_points)
            if sorted_tied is None:
                pending.append(tuple(row.team_id for row in tied))
            else:
                tied = sorted_tied
                decided.append(tuple(row.team_id for row in tied))
        reordered.extend(tied)
    return reordered


def _sort_by_mutual_matches(
    tied: list[StandingRow], results: list[Result], *, win_points: int
) -> list[StandingRow] | None:
    """The tied rows by their mutual matches; None while some of those matches are unplayed."""
    ids = {row.team_id for row in tied}
    mutual = [r for r in results if r[0] in ids and r[1] in ids]
    pairs_played: defaultdict[tuple[int, int], int] = defaultdict(int)
    for home_id, away_id, _, _ in mutual:
        pairs_played[(home_id, away_id)] += 1
    # Double round robin: every ordered pair (home, away) must have been played.
    if any(pairs_played[(a, b)] == 0 for a in ids for b in ids if a != b):
        return None
    mini = {row.team_id: [0, 0, 0] for row in tied}  # points, goal difference, goals scored
    for home_id, away_id, home_goals, away_goals in mutual:
        for team_id, scored, conceded in ((home_id, home_goals, away_goals), (away_id, away_goals, home_goals)):
            mini[team_id][0] += _points(scored, conceded, win_points)
            mini[team_id][1] += scored - conceded
            mini[team_id][2] += scored
    return sorted(tied, key=lambda row: (-mini[row.team_id][0], -mini[row.team_id][1], -mini[row.team_id][2],
                                         *_overall_key(row)))  # fmt: skip


def _record(row: StandingRow, scored: int, conceded: int, win_points: int) -> None:
    row.form.append(row.add(scored, conceded))
    row.points += _points(scored, conceded, win_points)


def _points(scored: int, conceded: int, win_points: int) -> int:
    """The points of one result: the competition's points for a win, one for a draw."""
    return win_points if scored > conceded else 1 if scored == conceded else 0
