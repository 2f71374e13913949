"""Read paths over matches that several areas share (the results page, the Excel export)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from app.football.models import Match


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
        name = filters.team_name
        matches = matches.filter(
            Q(home_team__name__icontains=name)
            | Q(away_team__name__icontains=name)
            | Q(home_team__aliases__name__icontains=name)
            | Q(away_team__aliases__name__icontains=name)
        ).distinct()
    if filters.date_from:
        matches = matches.filter(date__gte=filters.date_from)
    if filters.date_to:
        matches = matches.filter(date__lte=filters.date_to)
    if filters.tournament:
        matches = matches.filter(tournament=filters.tournament)
    return matches
