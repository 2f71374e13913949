"""Team resolution tuned for files of many rows: every missing team created in one go."""

from collections.abc import Iterable

from django.db import transaction

from app.football.models import Team, TeamAlias
from app.football.naming import name_key, team_slug
from app.football.services.teams import TeamResolver


class BulkTeamResolver(TeamResolver):
    """TeamResolver plus `prime(names)`: a few queries for all new teams instead of several per team.

    Matching rules are TeamResolver's own (keys and aliases); anything `prime` could not settle,
    e.g. after a race with another worker, falls back to TeamResolver.id_for.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._by_name: dict[str, int] = {}

    def id_for(self, name: str) -> int:
        team_id = self._by_name.get(name)
        if team_id is None:
            team_id = self._by_name[name] = super().id_for(name)
        return team_id

    def prime(self, names: Iterable[str]) -> None:
        pending: dict[str, str] = {}
        for name in names:
            name = " ".join(name.split())
            key = name_key(name)
            if key and key not in self._ids:
                pending.setdefault(key, name)
        if not pending:
            return
        new_teams: dict[str, str] = {}
        for name in pending.values():
            display = self.display_names.get(name, name)
            display_key = name_key(display)
            if display_key and display_key not in self._ids:
                new_teams.setdefault(display_key, display)
        if new_teams:
            slugs = set(Team.objects.values_list("slug", flat=True))
            teams = []
            for display_key, display in new_teams.items():
                base = team_slug(display)
                slug, n = base, 2
                while slug in slugs:
                    slug, n = f"{base}-{n}", n + 1
                slugs.add(slug)
                teams.append(Team(name=display, key=display_key, slug=slug, is_national=self.is_national))
            with transaction.atomic():
                Team.objects.bulk_create(teams, ignore_conflicts=True)
            self._ids.update(Team.objects.filter(key__in=list(new_teams)).values_list("key", "id"))
        aliases = []
        for key, name in pending.items():
            display_key = name_key(self.display_names.get(name, name))
            if key != display_key and display_key in self._ids:
                self._ids[key] = self._ids[display_key]
                aliases.append(TeamAlias(team_id=self._ids[display_key], name=name, key=key))
        if aliases:
            TeamAlias.objects.bulk_create(aliases, ignore_conflicts=True)


def known_team_names() -> dict[str, str]:
    """Key → display name of every stored team and alias, for the read-only preview."""
    names = dict(Team.objects.values_list("key", "name"))
    for key, team_name in TeamAlias.objects.values_list("key", "team__name"):
        names.setdefault(key, team_name)
    return names
