"""Team identity: one team however its name is spelled, and stable ids for matches without one."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from app.football.models import Team, TeamAlias
from app.football.naming import name_key, team_slug
from app.football.services.data_version import data_changed


class TeamResolver:
    """Maps team names to ids in bulk, creating missing teams; one query to warm up.

    Used by every write path (demo data, Excel import, provider fetch) so that a name always
    lands on the same team.
    """

    def __init__(self, *, display_names: dict[str, str] | None = None, is_national: bool = False) -> None:
        self.display_names = display_names or {}
        self.is_national = is_national
        self._ids: dict[str, int] = {}  # name key -> team id
        self._by_name: dict[str, int] = {}  # exact name as given -> team id (bulk files repeat names)
        for key, team_id in Team.objects.values_list("key", "id"):
            self._ids[key] = team_id
        for key, team_id in TeamAlias.objects.values_list("key", "team_id"):
            self._ids.setdefault(key, team_id)

    def id_for(self, name: str) -> int:
        team_id = self._by_name.get(name)
        if team_id is None:
            team_id = self._by_name[name] = self._resolve(name)
        return team_id

    def prime(self, names: Iterable[str]) -> None:
        """Create every team (and alias) these names need in a few statements, before a bulk write.

        Anything not settled here (e.g. after a race with another worker) falls back to `id_for`.
        """
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
            if name_key(display) and name_key(display) not in self._ids:
                new_teams.setdefault(name_key(display), display)
        if new_teams:
            taken = set(Team.objects.values_list("slug", flat=True))
            teams = []
            for key, display in new_teams.items():
                slug = _free_slug(display, taken)
                taken.add(slug)
                teams.append(Team(name=display, key=key, slug=slug, is_national=self.is_national))
            with transaction.atomic():
                Team.objects.bulk_create(teams, ignore_conflicts=True)
            data_changed()  # bulk_create sends no signals
            self._ids.update(Team.objects.filter(key__in=list(new_teams)).values_list("key", "id"))
        aliases = []
        for key, name in pending.items():
            display_key = name_key(self.display_names.get(name, name))
            if key != display_key and display_key in self._ids:
                self._ids[key] = self._ids[display_key]
                aliases.append(TeamAlias(team_id=self._ids[display_key], name=name, key=key))
        if aliases:
            TeamAlias.objects.bulk_create(aliases, ignore_conflicts=True)
            data_changed()

    def _resolve(self, name: str) -> int:
        name = " ".join(name.split())
        key = name_key(name)
        if not key:
            raise ValueError("empty team name")
        if key in self._ids:
            return self._ids[key]
        display = self.display_names.get(name, name)
        team = self._get_or_create(display)
        self._ids[key] = team.id
        self._ids[name_key(display)] = team.id
        if name_key(display) != key:
            try:
                with transaction.atomic():
                    TeamAlias.objects.get_or_create(key=key, defaults={"team": team, "name": name})
            except IntegrityError:  # another worker stored the same alias a moment ago
                pass
        return team.id

    def _get_or_create(self, display: str, attempts: int = 3) -> Team:
        key = name_key(display)
        for _ in range(attempts):
            existing = Team.objects.filter(key=key).first()
            if existing:
                return existing
            alias = TeamAlias.objects.filter(key=key).select_related("team").first()
            if alias:
                return alias.team
            try:
                with transaction.atomic():
                    return Team.objects.create(
                        name=display, key=key, slug=_unique_slug(display), is_national=self.is_national
                    )
            except IntegrityError:  # another worker created this team (or took the slug) a moment ago
                continue
        raise RuntimeError(f"could not create team {display!r}")


def _unique_slug(name: str) -> str:
    return _free_slug(name, set(Team.objects.filter(slug__startswith=team_slug(name)).values_list("slug", flat=True)))


def _free_slug(name: str, taken: set[str]) -> str:
    base = team_slug(name)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
