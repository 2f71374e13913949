"""Team identity: one team however its name is spelled, and stable ids for matches without one."""

from django.db import IntegrityError, transaction

from app.football.models import Team, TeamAlias
from app.football.naming import name_key, team_slug


class TeamResolver:
    """Maps team names to ids in bulk, creating missing teams; one query to warm up.

    Used by every write path (demo data, Excel import, provider fetch) so that a name always
    lands on the same team.
    """

    def __init__(self, *, display_names: dict[str, str] | None = None, is_national: bool = False) -> None:
        self.display_names = display_names or {}
        self.is_national = is_national
        self._ids: dict[str, int] = {}
        for key, team_id in Team.objects.values_list("key", "id"):
            self._ids[key] = team_id
        for key, team_id in TeamAlias.objects.values_list("key", "team_id"):
            self._ids.setdefault(key, team_id)

    def id_for(self, name: str) -> int:
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
    base = team_slug(name)
    slug, n = base, 2
    while Team.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
