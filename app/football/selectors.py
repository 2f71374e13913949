"""Read paths over matches that several areas share (the results page, the Excel export)."""

from dataclasses import dataclass
from datetime import date

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import ForeignKey, Lookup, Q, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils.text import smart_split, unescape_string_literal

from app.football.models import Match, Team
from app.football.naming import name_key


@dataclass(frozen=True)
class MatchFilters:
    competition_id: int | None = None
    season_id: int | None = None
    team_id: int | None = None
    team_name: str = ""  # any part of the team's name or of one of its aliases
    date_from: date | None = None
    date_to: date | None = None
    tournament: str = ""

    @property
    def active(self) -> bool:
        return any(
            (self.competition_id, self.season_id, self.team_id, self.team_name, self.date_from, self.date_to,
             self.tournament)
        )  # fmt: skip


def filtered_matches(filters: MatchFilters) -> QuerySet[Match]:
    matches = Match.objects.all()
    if filters.competition_id:
        matches = matches.filter(season__competition_id=filters.competition_id)
    if filters.season_id:
        matches = matches.filter(season_id=filters.season_id)
    if filters.team_id:
        matches = matches.filter(Q(home_team_id=filters.team_id) | Q(away_team_id=filters.team_id))
    if filters.team_name:
        teams = teams_named(filters.team_name).values("id")
        matches = matches.filter(Q(home_team_id__in=teams) | Q(away_team_id__in=teams))
    if filters.date_from:
        matches = matches.filter(date__gte=filters.date_from)
    if filters.date_to:
        matches = matches.filter(date__lte=filters.date_to)
    if filters.tournament:
        matches = matches.filter(tournament=filters.tournament)
    return matches


@ForeignKey.register_lookup
class AnyOf(Lookup):
    """`column__any_of=subquery`: on PostgreSQL `column = ANY(ARRAY(subquery))`, which runs the
    subquery once and can use the column's index even inside an OR (where `IN (subquery)` is
    checked row by row over the whole table); elsewhere a plain `IN (subquery)`."""

    lookup_name = "any_of"

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, template: str = "%s IN %s"
    ) -> tuple[str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return template % (lhs, rhs), [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, list]:
        return self.as_sql(compiler, connection, template="%s = ANY(ARRAY%s)")


def teams_named(text: str) -> QuerySet[Team]:
    """The teams with `text` in their name or in one of their aliases.

    Spelled as the importer reads names: "Besiktas", "BEŞİKTAŞ" and "beşiktaş" find Beşiktaş."""
    key = name_key(text) or text
    return Team.objects.filter(Q(key__contains=key) | Q(aliases__key__contains=key))


def search_matches(matches: QuerySet[Match], text: str) -> QuerySet[Match]:
    """Matches where every word of `text` is in a team's name or alias (home or away), the
    tournament, the city or the external id (the admin's search box; "quoted words" stay one).

    The teams are looked up first in their small table and the matches by those team ids (no
    join), so PostgreSQL combines index scans (the team indexes and the trigram indexes of
    migration 0004) instead of comparing the names of both teams on every match."""
    for word in smart_split(text):
        if word[0] in "\"'" and word[-1] == word[0]:
            word = unescape_string_literal(word)
        if not word:
            continue
        teams = teams_named(word).order_by().values("id")
        matches = matches.filter(
            Q(home_team_id__any_of=teams)
            | Q(away_team_id__any_of=teams)
            | Q(tournament__icontains=word)
            | Q(city__icontains=word)
            | Q(external_id__icontains=word)
        )
    return matches
