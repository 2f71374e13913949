"""Team identity: which stored team a name means, however it is spelled. The one place every source asks.

A name is compared by its key (`naming.name_key`: case, Turkish letters, spacing, line breaks and
punctuation ignored) against every stored team's key and alias. A name no team has yet becomes a
team under its display name (the Turkish spelling of a known ASCII club name), with the name as
typed kept as an alias.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from app.football.localized_names import displayed_country_names
from app.football.models import Team, TeamAlias
from app.football.naming import name_key, team_slug
from app.football.services.data_version import data_changed
from app.football.team_names import SUPER_LIG_DISPLAY_NAMES


def clean_team_name(name: str) -> str:
    """A name with its runs of whitespace (line breaks of a cell typed with Alt+Enter too) made one space."""
    return " ".join(name.split())


def display_name(name: str, *, national: bool, names: dict[str, str] = SUPER_LIG_DISPLAY_NAMES) -> str:
    """The name a new team gets: the proper Turkish name of an ASCII club spelling of the shipped data."""
    name = clean_team_name(name)
    return name if national else names.get(name, name)


class TeamIndex:
    """Every stored team key and alias key → team id, loaded in two queries; read-only.

    `find` tells which stored team a name means; `dry_run_id` also gives teams that a write would
    create a placeholder id (negative, one per new team), so a preview shows them as a write would.
    """

    def __init__(self, *, display_names: dict[str, str] = SUPER_LIG_DISPLAY_NAMES) -> None:
        self.display_names = display_names
        self._ids: dict[str, int] = {}  # name key -> team id
        # Key without spaces -> team id ("Başak şehir" is "Başakşehir"); None where two teams share one.
        self._compact: dict[str, int | None] = {}
        self.names: dict[int, str] = {}  # team id -> display name
        self.keys: dict[int, str] = {}  # team id -> the team's own key
        self._national: list[int] = []
        self._shown: dict[str, int | None] | None = None  # built on first need (see _shown_names)
        for key, team_id, name, national in Team.objects.values_list("key", "id", "name", "is_national"):
            self.remember(key, team_id)
            self.names[team_id] = name
            self.keys[team_id] = key
            if national:
                self._national.append(team_id)
        for key, team_id in TeamAlias.objects.values_list("key", "team_id"):
            if key not in self._ids:
                self.remember(key, team_id)
        self.new_teams: dict[int, str] = {}  # placeholder -> display name

    def find(self, name: str, *, national: bool = False) -> int | None:
        """The stored team a name means, or None: by its key or an alias, the display name it maps
        to, or the same letters spaced otherwise when only one team has them."""
        key = name_key(name)
        team_id = self._ids.get(key)
        if team_id is None:
            team_id = self._ids.get(name_key(self.display_name(name, national=national)))
        if team_id is None:
            team_id = self._compact.get(key.replace(" ", ""))
        if team_id is None and national:
            team_id = self._shown_names().get(key)
        return team_id

    def _shown_names(self) -> dict[str, int | None]:
        """National teams by the names the site shows them under in Turkish and English (stored
        `Germany` is shown as `Almanya`): an editor types what they see. None where two teams share one."""
        if self._shown is None:
            self._shown = {}
            for team_id in self._national:
                for shown in displayed_country_names(self.names[team_id]):
                    key = name_key(shown)
                    if key and key not in self._ids and self._shown.setdefault(key, team_id) != team_id:
                        self._shown[key] = None
        return self._shown

    def display_name(self, name: str, *, national: bool) -> str:
        return display_name(name, national=national, names=self.display_names)

    def dry_run_id(self, name: str, *, national: bool = False) -> int:
        """`find`, or the placeholder of the team a write would create for this name."""
        team_id = self.find(name, national=national)
        if team_id is not None:
            return team_id
        display = self.display_name(name, national=national)
        placeholder = -(len(self.new_teams) + 1)
        self.remember(name_key(name), placeholder)
        self.remember(name_key(display), placeholder)
        self.new_teams[placeholder] = display
        self.keys[placeholder] = name_key(display)
        return placeholder

    def identity_key(self, name: str, *, national: bool = False) -> str:
        """The key of the team a name means: its stored team's key, else that of the team it would create.

        Two spellings of one team give one key, so match ids built from it agree.
        """
        return self.keys[self.dry_run_id(name, national=national)]

    def remember(self, key: str, team_id: int) -> None:
        self._ids[key] = team_id
        compact = key.replace(" ", "")
        if self._compact.setdefault(compact, team_id) != team_id:
            self._compact[compact] = None

    def knows(self, key: str) -> bool:
        return key in self._ids


class TeamResolver:
    """Maps team names to ids in bulk, creating missing teams; one TeamIndex to warm up.

    Used by every write path (demo data, Excel import, provider fetch) so that a name always
    lands on the same team.
    """

    def __init__(self, *, is_national: bool = False, display_names: dict[str, str] | None = None) -> None:
        self.is_national = is_national
        # Display names of ASCII club spellings: the shipped ones unless a caller gives its own.
        self.index = TeamIndex(display_names=SUPER_LIG_DISPLAY_NAMES if display_names is None else display_names)
        self._by_name: dict[str, int] = {}  # exact name as given -> team id (bulk files repeat names)

    def id_for(self, name: str) -> int:
        team_id = self._by_name.get(name)
        if team_id is None:
            team_id = self._by_name[name] = self._resolve(name)
        return team_id

    def prime(self, names: Iterable[str]) -> None:
        """Create every team (and alias) these names need in a few statements, before a bulk write.

        Anything not settled here (e.g. after a race with another worker) falls back to `id_for`.
        """
        index = self.index
        aliases: dict[str, tuple[int | str, str]] = {}  # alias key -> (team id, or the key of a new team; name)
        new_teams: dict[str, str] = {}  # key -> display name
        for name in names:
            name = clean_team_name(name)
            key = name_key(name)
            if not key or index.knows(key):
                continue
            team_id = index.find(name, national=self.is_national)
            display = index.display_name(name, national=self.is_national)
            if team_id is None:
                new_teams.setdefault(name_key(display), display)
            if key != name_key(display) or team_id is not None:
                aliases.setdefault(key, (team_id if team_id is not None else name_key(display), name))
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
            for key, team_id in Team.objects.filter(key__in=list(new_teams)).values_list("key", "id"):
                index.remember(key, team_id)
        rows = []
        for key, (team, name) in aliases.items():
            team_id = index.find(team) if isinstance(team, str) else team
            if team_id is not None:
                index.remember(key, team_id)
                rows.append(TeamAlias(team_id=team_id, name=name, key=key))
        if rows:
            TeamAlias.objects.bulk_create(rows, ignore_conflicts=True)
            data_changed()

    def _resolve(self, name: str) -> int:
        name = clean_team_name(name)
        key = name_key(name)
        if not key:
            raise ValueError("empty team name")
        team_id = self.index.find(name, national=self.is_national)
        if team_id is not None and self.index.knows(key):
            return team_id
        display = self.index.display_name(name, national=self.is_national)
        team = Team.objects.get(pk=team_id) if team_id is not None else self._get_or_create(display)
        self.index.remember(key, team.id)
        self.index.remember(name_key(display), team.id)
        if name_key(team.name) != key:
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
