"""Read paths of the public site. Every function costs a fixed number of queries."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import get_language

from app.football import localized_names
from app.football.models import Competition, Goal, Match, Season, Team
from app.football.seasons import expected_league_matches
from app.football.selectors import MatchFilters, filtered_matches
from app.football.services.data_version import data_version
from app.football.services.standings import Record, Standings

MATCHES_PER_PAGE = 50
FILTER_CHOICES_CACHE_KEY = "web:filter-choices:v4:{version}"
FILTER_LABELS_CACHE_KEY = "web:filter-labels:v1:{version}:{language}"
FILTER_CHOICES_SECONDS = 3600


# --- Competitions and seasons ------------------------------------------------------------


def _played_in_season() -> QuerySet[Match]:
    return Match.objects.filter(season=OuterRef("pk"), home_score__isnull=False, away_score__isnull=False)


@dataclass
class CompetitionSeasons:
    """A competition, its seasons newest first, and the newest of them with a played match.

    A season whose fixtures are stored but not played yet would open an empty table.
    """

    competition: Competition
    seasons: list[Season]
    latest_played: Season | None


def competitions_with_seasons() -> list[CompetitionSeasons]:
    """Every competition with its seasons (two queries)."""
    seasons: defaultdict[int, list[Season]] = defaultdict(list)
    latest_played: dict[int, Season] = {}
    for season in Season.objects.order_by("-start_year").annotate(has_played=Exists(_played_in_season())):
        seasons[season.competition_id].append(season)
        if season.has_played:
            latest_played.setdefault(season.competition_id, season)
    entries = [
        CompetitionSeasons(competition, seasons[competition.pk], latest_played.get(competition.pk))
        for competition in Competition.objects.all()
    ]
    # Leagues first: their tables are the site's main page type.
    return sorted(entries, key=lambda e: (e.competition.kind != Competition.Kind.LEAGUE, e.competition.name))


def season_by_name(*, competition_slug: str, season_name: str) -> Season | None:
    return (
        Season.objects.select_related("competition")
        .filter(competition__slug=competition_slug, name=season_name)
        .order_by("-start_year")
        .first()
    )


def latest_season(*, competition_slug: str | None = None) -> Season | None:
    """The newest season with a played match (of a competition, or of the first league)."""
    played = _played_in_season()
    # EXISTS per season, newest first, stops at the first hit (a join would touch every match).
    seasons = Season.objects.select_related("competition").filter(Exists(played))
    if competition_slug:
        seasons = seasons.filter(competition__slug=competition_slug)
    else:
        seasons = seasons.filter(competition__kind=Competition.Kind.LEAGUE)
    return seasons.order_by("-start_year", "competition__name").first()


@dataclass
class TableNotes:
    """What the footnotes of a table say: the tie-break rule applied and how complete the season is."""

    head_to_head: bool
    decided: list[tuple[int, list[str]]]  # (points, team names) ordered by their mutual matches
    pending: list[tuple[int, list[str]]]  # level on points, mutual matches not all played yet
    stored: int  # matches of the season in the database, played or not
    played: int
    expected: int | None  # a double round robin's number of matches (leagues only)

    @property
    def incomplete(self) -> bool:
        return self.expected is not None and self.stored < self.expected

    @property
    def in_progress(self) -> bool:
        return not self.incomplete and self.played < self.stored


def table_notes(season: Season, standings: Standings, *, name: Callable[[str], str] = str) -> TableNotes:
    """Footnotes of a league table (one COUNT query); `name` displays a team name."""
    rows = {row.team_id: row for row in standings.rows}

    def groups(ids_groups: tuple[tuple[int, ...], ...]) -> list[tuple[int, list[str]]]:
        return [(rows[ids[0]].points, [name(rows[i].team_name) for i in ids]) for ids in ids_groups]

    is_league = season.competition.kind == Competition.Kind.LEAGUE
    return TableNotes(
        head_to_head=season.competition.tie_break == Competition.TieBreak.HEAD_TO_HEAD,
        decided=groups(getattr(standings, "head_to_head_groups", ())),
        pending=groups(getattr(standings, "head_to_head_pending", ())),
        stored=Match.objects.filter(season_id=season.id).exclude(status=Match.Status.CANCELLED).count(),
        played=standings.matches_counted,
        expected=expected_league_matches(
            competition_slug=season.competition.slug, season_name=season.name, teams_seen=len(standings.rows)
        )
        if is_league
        else None,
    )


def table_digest(standings: Standings) -> str:
    """Key of the rendered table fragment: a changed table (or another language) is a new key, so
    nothing needs invalidating and a stale table is never shown."""
    content = [(r.team_id, r.team_name, r.team_slug, r.played, r.won, r.drawn, r.lost, r.goals_for, r.goals_against,
                r.points, tuple(r.form)) for r in standings.rows]  # fmt: skip
    return hashlib.blake2b(repr((standings.matches_counted, content)).encode(), digest_size=12).hexdigest()


def seasons_of(competition_id: int) -> list[Season]:
    return list(Season.objects.filter(competition_id=competition_id).order_by("-start_year"))


# --- Matches -----------------------------------------------------------------------------


LIST_FIELDS = (
    "id", "external_id", "date", "home_score", "away_score", "status", "tournament", "neutral",
    "season__id", "season__name", "season__competition__id", "season__competition__name",
    "home_team__id", "home_team__name", "home_team__slug", "away_team__id", "away_team__name", "away_team__slug",
)  # fmt: skip


def _with_relations(matches: QuerySet[Match], *, for_list: bool = True) -> QuerySet[Match]:
    matches = matches.select_related("season__competition", "home_team", "away_team")
    # Lists need a dozen columns; loading the rest (timestamps above all) was a third of the page time.
    return matches.only(*LIST_FIELDS) if for_list else matches


def latest_results(*, limit: int = 10, competition_id: int | None = None) -> list[Match]:
    matches = Match.objects.filter(home_score__isnull=False, away_score__isnull=False)
    if competition_id:
        matches = matches.filter(season__competition_id=competition_id)
    return list(_with_relations(matches).order_by("-date", "id")[:limit])


@dataclass(frozen=True)
class Cursor:
    """A position in the (date descending, id ascending) order of matches: `2023-05-28.1234`."""

    date: date
    id: int

    def __str__(self) -> str:
        return f"{self.date.isoformat()}.{self.id}"

    @classmethod
    def parse(cls, value: str | None) -> Cursor | None:
        if not value:
            return None
        try:
            day, _, pk = value.partition(".")
            return cls(date=date.fromisoformat(day), id=int(pk))
        except ValueError:
            return None

    @classmethod
    def of(cls, match: Match) -> Cursor:
        return cls(date=match.date, id=match.id)


@dataclass
class MatchPage:
    matches: list[Match]
    older: Cursor | None = None  # cursor of the next page of older matches, if any
    newer: Cursor | None = None  # cursor of the previous page of newer matches, if any
    is_first: bool = True


def match_page(
    filters: MatchFilters,
    *,
    older_than: Cursor | None = None,
    newer_than: Cursor | None = None,
    size: int = MATCHES_PER_PAGE,
) -> MatchPage:
    """One page of matches, newest first, by keyset ("seek") pagination: one query at any depth.

    No COUNT over the whole table and no OFFSET: the conditions below start an index scan on
    (date DESC, id) at the cursor, so page 1,000 costs what page 1 costs.
    """
    matches = _with_relations(filtered_matches(filters))
    if newer_than:
        # Walk backwards from the cursor, then turn the slice round.
        rows = list(
            matches.filter(
                Q(date__gte=newer_than.date) & (Q(date__gt=newer_than.date) | Q(id__lt=newer_than.id))
            ).order_by("date", "-id")[: size + 1]
        )
        has_more_newer = len(rows) > size
        rows = rows[:size][::-1]
        return MatchPage(
            matches=rows,
            newer=Cursor.of(rows[0]) if rows and has_more_newer else None,
            older=Cursor.of(rows[-1]) if rows else None,
            is_first=not has_more_newer,
        )
    if older_than:
        matches = matches.filter(Q(date__lte=older_than.date) & (Q(date__lt=older_than.date) | Q(id__gt=older_than.id)))
    rows = list(matches.order_by("-date", "id")[: size + 1])
    has_more_older = len(rows) > size
    rows = rows[:size]
    return MatchPage(
        matches=rows,
        older=Cursor.of(rows[-1]) if rows and has_more_older else None,
        newer=Cursor.of(rows[0]) if rows and older_than else None,
        is_first=older_than is None,
    )


def is_match_position(cursor: Cursor | None) -> bool:
    """Whether the cursor names a stored match at its own date, as the site's page links do."""
    return cursor is not None and Match.objects.filter(id=cursor.id, date=cursor.date).exists()


def match_count(filters: MatchFilters) -> int:
    """How many matches the filters select (one COUNT; exact, so it always agrees with the list)."""
    return filtered_matches(filters).count()


@dataclass
class FilterChoices:
    seasons: list[tuple[str, str, str]]  # (URL value, competition, season name); the value is "2023-24"
    season_ids: dict[str, int]  # URL value → season id
    teams: list[tuple[str, str]]  # (slug, name)
    tournaments: list[str]
    version: str | None  # the data version they were read under (their labels are cached under it too)


def filter_choices() -> FilterChoices:
    """Options of the results filter, cached under the data version.

    About 800 options; the tournament list is a scan of the whole match table. A team or
    tournament that has just been imported is in the filter at once (a new version).
    Seasons go into the URL by name (`?sezon=2023-24`) as on the table pages; a name that two
    competitions share is also accepted as `slug/name` and means the league's season alone.
    """
    version = data_version()
    key = FILTER_CHOICES_CACHE_KEY.format(version=version)
    # Without a version (the cache is down) nothing is read or kept: a copy kept under no
    # version would be read again after the next write.
    choices = cache.get(key) if version else None
    if choices is None:
        rows = list(
            Season.objects.order_by("competition__name", "-start_year").values_list(
                "id", "competition__name", "competition__slug", "competition__kind", "name"
            )
        )
        season_ids: dict[str, int] = {}
        seasons: list[tuple[str, str, str]] = []
        # Leagues claim the bare name first.
        for pk, _competition, slug, _kind, name in sorted(rows, key=lambda r: r[3] != Competition.Kind.LEAGUE):
            season_ids.setdefault(name, pk)
            season_ids[f"{slug}/{name}"] = pk
        for pk, competition, slug, _kind, name in rows:
            seasons.append((name if season_ids[name] == pk else f"{slug}/{name}", competition, name))
        choices = FilterChoices(
            seasons=seasons,
            season_ids=season_ids,
            teams=list(Team.objects.order_by("name").values_list("slug", "name")),
            tournaments=list(
                Match.objects.exclude(tournament="")
                .order_by("tournament")
                .values_list("tournament", flat=True)
                .distinct()
            ),
            version=version,
        )
        if version:
            cache.set(key, choices, FILTER_CHOICES_SECONDS)
    return choices


@dataclass(frozen=True)
class FilterLabels:
    """The filter's options as (value, label) in one language, sorted as that language sorts."""

    seasons: list[tuple[str, str]]
    teams: list[tuple[str, str]]
    tournaments: list[tuple[str, str]]


def filter_labels(choices: FilterChoices) -> FilterLabels:
    """`choices` labelled in the active language (`Turkey` → `Türkiye`), cached per language and data version.

    Localising and sorting some 800 names cost every signed-in results page (anonymous ones are
    cached whole) a few milliseconds; the labels change only with the data or the language. They
    are keyed by the version the choices were read under, not read again: a write between the two
    reads would otherwise store the old names under the new version.
    """
    key = FILTER_LABELS_CACHE_KEY.format(version=choices.version, language=get_language() or "")
    labels = cache.get(key) if choices.version else None
    if labels is None:
        labels = FilterLabels(
            seasons=[
                (value, f"{localized_names.competition_name(competition)} {name}")
                for value, competition, name in choices.seasons
            ],
            teams=_sorted_by_label((slug, localized_names.country_name(name)) for slug, name in choices.teams),
            tournaments=_sorted_by_label((name, localized_names.tournament_name(name)) for name in choices.tournaments),
        )
        if choices.version:
            cache.set(key, labels, FILTER_CHOICES_SECONDS)
    return labels


def _sorted_by_label(options: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(options, key=lambda option: localized_names.sort_key(option[1]))


def season_param(season: Season) -> str:
    """The `?sezon=` value of a season in links (its name, or `slug/name` when the name is shared)."""
    return (
        season.name
        if filter_choices().season_ids.get(season.name) == season.id
        else (f"{season.competition.slug}/{season.name}")
    )


def match_detail(external_id: str) -> Match | None:
    goals = Goal.objects.select_related("team").order_by("sequence")
    return (
        _with_relations(Match.objects.filter(external_id=external_id), for_list=False)
        .prefetch_related(Prefetch("goals", queryset=goals))
        .first()
    )


def meetings(*, team_id: int, opponent_id: int, limit: int | None = None, exclude_id: int | None = None) -> list[Match]:
    """Matches between two teams, newest first."""
    matches = _with_relations(
        Match.objects.filter(
            Q(home_team_id=team_id, away_team_id=opponent_id) | Q(home_team_id=opponent_id, away_team_id=team_id)
        )
    ).order_by("-date", "id")
    if exclude_id:
        matches = matches.exclude(id=exclude_id)
    return list(matches[:limit] if limit else matches)


def team_matches(*, team_id: int, limit: int = 10) -> list[Match]:
    matches = Match.objects.filter(Q(home_team_id=team_id) | Q(away_team_id=team_id))
    return list(_with_relations(matches).order_by("-date", "id")[:limit])


# --- Team records ------------------------------------------------------------------------


@dataclass(kw_only=True)
class SeasonRecord(Record):
    season_id: int = 0
    season_name: str = ""
    start_year: int = 0
    competition_name: str = ""
    competition_slug: str = ""
    competition_kind: str = ""


@dataclass
class TeamSummary:
    total: Record = field(default_factory=Record)
    home: Record = field(default_factory=Record)
    away: Record = field(default_factory=Record)
    neutral: Record = field(default_factory=Record)
    seasons: list[SeasonRecord] = field(default_factory=list)  # newest first
    opponent_ids: set[int] = field(default_factory=set)


def team_summary(team_id: int) -> TeamSummary:
    """Record by season and the home/away/neutral split of one team, from one query.

    At most a thousand or so small rows even for the oldest national teams; summing them here
    keeps the SQL plain and gives every figure of the team page in one pass.
    """
    rows = (
        Match.objects.filter(Q(home_team_id=team_id) | Q(away_team_id=team_id))
        .filter(home_score__isnull=False, away_score__isnull=False)
        .exclude(status=Match.Status.CANCELLED)
        .values_list(
            "home_team_id", "away_team_id", "home_score", "away_score", "neutral",
            "season_id", "season__name", "season__start_year",
            "season__competition__name", "season__competition__slug", "season__competition__kind",
        )
    )  # fmt: skip
    summary = TeamSummary()
    seasons: dict[int, SeasonRecord] = {}
    for (
        home_id, away_id, home_score, away_score, neutral,
        season_id, season_name, start_year, competition_name, competition_slug, competition_kind,
    ) in rows:  # fmt: skip
        if home_score is None or away_score is None:
            continue  # the query leaves unplayed matches out; this tells the type checker
        at_home = home_id == team_id
        scored, conceded = (home_score, away_score) if at_home else (away_score, home_score)
        summary.opponent_ids.add(away_id if at_home else home_id)
        summary.total.add(scored, conceded)
        (summary.neutral if neutral else summary.home if at_home else summary.away).add(scored, conceded)
        if season_id not in seasons:
            seasons[season_id] = SeasonRecord(
                season_id=season_id, season_name=season_name, start_year=start_year, competition_name=competition_name,
                competition_slug=competition_slug, competition_kind=competition_kind,
            )  # fmt: skip
        seasons[season_id].add(scored, conceded)
    summary.seasons = sorted(seasons.values(), key=lambda s: (-s.start_year, s.competition_name))
    return summary


def head_to_head(*, team_id: int, opponent_id: int) -> tuple[Record, list[Match]]:
    matches = meetings(team_id=team_id, opponent_id=opponent_id)
    record = Record()
    for match in matches:
        home_score, away_score = match.home_score, match.away_score
        if home_score is not None and away_score is not None and match.status != Match.Status.CANCELLED:
            at_home = match.home_team_id == team_id
            record.add(*((home_score, away_score) if at_home else (away_score, home_score)))
    return record, matches


def teams_by_ids(ids: set[int]) -> list[Team]:
    return list(Team.objects.filter(id__in=ids).order_by("name")) if ids else []
