"""Read paths over matches that several areas share (the results page, the Excel export)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

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
        # Spelled as the importer reads names: "Besiktas", "BEŞİKTAŞ" and "beşiktaş" find Beşiktaş.
        key = name_key(filters.team_name) or filters.team_name
        teams = Team.objects.filter(Q(key__contains=key) | Q(aliases__key__contains=key)).values("id")
        matches = matches.filter(Q(home_team_id__in=teams) | Q(away_team_id__in=teams))
    if filters.date_from:
        matches = matches.filter(date__gte=filters.date_from)
    if filters.date_to:
        matches = matches.filter(date__lte=filters.date_to)
    if filters.tournament:
        matches = matches.filter(tournament=filters.tournament)
    return matches
