"""Team names as the import preview shows them (the resolver itself is football.services.teams)."""

from app.football.models import Team, TeamAlias


def known_team_names() -> dict[str, str]:
    """Key → display name of every stored team and alias, for the read-only preview."""
    names = dict(Team.objects.values_list("key", "name"))
    for key, team_name in TeamAlias.objects.values_list("key", "team__name"):
        names.setdefault(key, team_name)
    return names
