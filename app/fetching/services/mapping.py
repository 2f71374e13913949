"""Provider matches → our matches and goals, through the one write path (`upsert_matches`).

A match already known by its provider id keeps its external id. One new to us by id is the stored
match it is (football.services.identity: same competition, teams and day ± tolerance, however its
names were spelled), which is updated and gets its provider id, never duplicated; otherwise it gets
the same `stable_external_id(date, home, away)` the demo loader uses.
Fields the provider does not know (city, tournament of a friendly...) keep their stored values.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.text import slugify

from app.fetching.providers.base import ProviderMatch
from app.football.competitions import by_code, ensure_competition
from app.football.models import Competition, Goal, Match, Team
from app.football.naming import name_key, stable_external_id
from app.football.services.data_version import data_changed
from app.football.services.identity import MatchIdentity, find_stored
from app.football.services.matches import (
    COMPARED_FIELDS,
    MatchRecord,
    SeasonResolver,
    upsert_matches,
)
from app.football.services.teams import TeamResolver
from app.football.text_checks import text_problem

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
KIND_BY_TYPE = {"LEAGUE": Competition.Kind.LEAGUE, "CUP": Competition.Kind.CUP}
KEPT_WHEN_EMPTY = ("tournament", "venue", "city", "country", "kickoff", "matchday")


@dataclass(frozen=True)
class StoredMatch:
    match_id: int
    outcome: str


def _limit(model: type[models.Model], field: str) -> int:
    max_length = getattr(model._meta.get_field(field), "max_length", None)
    assert isinstance(max_length, int), f"{model.__name__}.{field} has no max_length"
    return max_length


def provider_match_problem(m: ProviderMatch) -> str | None:
    """Why a provider match cannot be stored as it is (the checks an Excel cell gets), or None."""
    checks = [
        ("competition.code", m.competition_code, _limit(Competition, "code"), False),
        ("competition.name", m.competition_name, _limit(Competition, "name"), False),
        ("homeTeam.name", m.home.name, _limit(Team, "name"), True),
        ("awayTeam.name", m.away.name, _limit(Team, "name"), True),
        ("venue", m.venue, _limit(Match, "venue"), False),
        *((f"goals[{n}].scorer", g.scorer, _limit(Goal, "scorer"), True) for n, g in enumerate(m.goals)),
    ]
    for path, value, max_length, name in checks:
        problem = text_problem(value, max_length=max_length, name=name)
        if problem:
            return f"{path}: {problem}"
    if name_key(m.home.name) == name_key(m.away.name) or not name_key(m.home.name) or not name_key(m.away.name):
        return f"teams: {m.home.name[:40]!r} – {m.away.name[:40]!r}"
    return None


def competition_for(code: str, name: str, provider_type: str) -> Competition:
    competition = Competition.objects.filter(code__iexact=code).order_by("id").first()
    if competition:
        return competition
    # The competitions the shipped data knows are created as the demo loader would create them,
    # so API-only installs get the same slugs, kinds and season naming.
    known = by_code(code)
    if known:
        return ensure_competition(known)
    slug = slugify(name)[:50] or code.lower()
    if Competition.objects.filter(slug=slug).exists():
        slug = f"{slug}-{code.lower()}"[:60]
    try:
        with transaction.atomic():
            return Competition.objects.create(
                slug=slug, name=name, code=code, kind=KIND_BY_TYPE.get(provider_type, Competition.Kind.CUP)
            )
    except IntegrityError:  # another worker created it a moment ago
        return Competition.objects.filter(code__iexact=code).earliest("id")


def store_matches(matches: Sequence[ProviderMatch]) -> dict[int, StoredMatch]:
    """Upsert the matches and their goals; returns {provider_id: StoredMatch}. Safe to run twice."""
    if not matches:
        return {}
    competitions: dict[str, Competition] = {}
    seasons: dict[int, SeasonResolver] = {}
    teams = {True: TeamResolver(is_national=True), False: TeamResolver()}
    by_provider = {
        row["provider_id"]: row
        for row in Match.objects.filter(provider_id__in=[m.provider_id for m in matches]).values(
            "external_id", *COMPARED_FIELDS
        )
    }
    candidates = {
        stable_external_id(m.date, m.home.name, m.away.name, occurrence): m for m in matches for occurrence in (1, 2, 3)
    }
    by_external = {
        row["external_id"]: row
        for row in Match.objects.filter(external_id__in=candidates).values("external_id", *COMPARED_FIELDS)
    }
    records: list[MatchRecord] = []
    outcomes: dict[int, str] = {}
    used: set[str] = set()
    national_of: dict[int, bool] = {}
    names: dict[bool, list[str]] = {True: [], False: []}
    for m in matches:
        competition = competitions.get(m.competition_code)
        if competition is None:
            competition = competitions[m.competition_code] = competition_for(
                m.competition_code, m.competition_name, m.competition_type
            )
        names[competition.kind == Competition.Kind.INTERNATIONAL] += (m.home.name, m.away.name)
    for national, group in names.items():
        if group:  # the chunk's new teams in a few statements, not five queries each
            teams[national].prime(group)
    same_as_stored = _stored_by_content(matches, competitions, teams, by_provider, by_external)
    for m in matches:
        competition = competitions[m.competition_code]
        national = competition.kind == Competition.Kind.INTERNATIONAL
        national_of[m.provider_id] = national
        if competition.id not in seasons:
            seasons[competition.id] = SeasonResolver(competition)
        calendar = seasons[competition.id].calendar
        # A league's own season label wins (a season may start before July); a date says the rest.
        start_year = m.season_start_year if m.season_start_year and not national else calendar.season_for(m.date)
        stored = by_provider.get(m.provider_id)
        if stored is None and m.provider_id in same_as_stored:
            stored = same_as_stored[m.provider_id]
        external_id = stored["external_id"] if stored else _free_external_id(m, by_external, used)
        stored = stored or by_external.get(external_id)
        used.add(external_id)
        values: dict[str, Any] = {  # MatchRecord's fields by name
            "season_id": seasons[competition.id].id_for(start_year),
            "date": m.date,
            "home_team_id": teams[national].id_for(m.home.name),
            "away_team_id": teams[national].id_for(m.away.name),
            "home_score": m.home_score,
            "away_score": m.away_score,
            "status": m.status,
            "tournament": competition.name,
            "venue": m.venue,
            "city": "",
            "country": competition.country,
            "neutral": stored["neutral"] if stored else False,
            "kickoff": m.kickoff,
            "matchday": m.matchday,
            "provider_id": m.provider_id,
        }
        if stored:
            for name in KEPT_WHEN_EMPTY:
                if stored[name] not in (None, "") and values[name] in (None, "", competition.name):
                    values[name] = stored[name]
        record = MatchRecord(external_id=external_id, source=Match.Source.API, **values)
        if stored is None:
            outcomes[m.provider_id] = CREATED
        elif any(stored[name] != getattr(record, name) for name in COMPARED_FIELDS):
            outcomes[m.provider_id] = UPDATED
        else:
            outcomes[m.provider_id] = UNCHANGED
        records.append(record)
    upsert_matches(records)
    stored_ids = Match.objects.filter(provider_id__in=[m.provider_id for m in matches]).values_list("provider_id", "id")
    # provider_id is never None here (the filter); the test tells the type checker so.
    match_ids = {provider_id: match_id for provider_id, match_id in stored_ids if provider_id is not None}
    _store_goals(matches, match_ids, teams, national_of)
    return {pid: StoredMatch(match_id=match_ids[pid], outcome=outcome) for pid, outcome in outcomes.items()}


def _stored_by_content(
    matches: Sequence[ProviderMatch],
    competitions: dict[str, Competition],
    teams: dict[bool, TeamResolver],
    by_provider: dict[int | None, dict],
    by_external: dict[str, dict],
) -> dict[int, dict]:
    """Provider matches new to us by id that are a stored match all the same (stored from Excel or
    the demo data under other spellings): the one identity rule, football.services.identity."""
    identities: dict[int, MatchIdentity] = {}
    for m in matches:
        if m.provider_id in by_provider or stable_external_id(m.date, m.home.name, m.away.name) in by_external:
            continue
        competition = competitions[m.competition_code]
        resolver = teams[competition.kind == Competition.Kind.INTERNATIONAL]
        identities[m.provider_id] = MatchIdentity(
            competition.id, m.date, resolver.id_for(m.home.name), resolver.id_for(m.away.name)
        )
    if not identities:
        return {}
    found = find_stored(identities.values())
    external_ids = [found[identity] for identity in identities.values() if identity in found]
    if not external_ids:
        return {}
    rows = {
        row["external_id"]: row
        for row in Match.objects.filter(external_id__in=external_ids, provider_id__isnull=True).values(
            "external_id", *COMPARED_FIELDS
        )
    }  # a stored match another provider id already has is another match
    return {
        provider_id: rows[found[identity]]
        for provider_id, identity in identities.items()
        if identity in found and found[identity] in rows
    }


def _free_external_id(m: ProviderMatch, by_external: dict[str, dict], used: set[str]) -> str:
    """The stable id of this real match; a second match of the same teams on the same day gets `-2`."""
    for occurrence in (1, 2, 3):
        candidate = stable_external_id(m.date, m.home.name, m.away.name, occurrence)
        if candidate in used:
            continue
        row = by_external.get(candidate)
        if row is None or row["provider_id"] in (None, m.provider_id):
            return candidate
    return stable_external_id(m.date, m.home.name, m.away.name, 4)


def _store_goals(
    matches: Sequence[ProviderMatch],
    match_ids: dict[int, int],
    teams: dict[bool, TeamResolver],
    national_of: dict[int, bool],
) -> None:
    with_goals = [m for m in matches if m.goals_included and m.goals]
    if not with_goals:
        return
    existing = {
        (g.match_id, g.sequence): g
        for g in Goal.objects.filter(match_id__in=[match_ids[m.provider_id] for m in with_goals])
    }
    to_write: list[Goal] = []
    stale: list[tuple[int, int]] = []
    for m in with_goals:
        match_id = match_ids[m.provider_id]
        resolver = teams[national_of[m.provider_id]]
        team_of = {m.home.provider_id: resolver.id_for(m.home.name), m.away.provider_id: resolver.id_for(m.away.name)}
        for sequence, goal in enumerate(m.goals, start=1):
            new = Goal(
                match_id=match_id,
                sequence=sequence,
                team_id=team_of[goal.team_provider_id],
                scorer=goal.scorer,
                minute=goal.minute,
                own_goal=goal.own_goal,
                penalty=goal.penalty,
            )
            old = existing.get((match_id, sequence))
            if old is None or _goal_tuple(old) != _goal_tuple(new):
                to_write.append(new)
        stale += [key for key in existing if key[0] == match_id and key[1] > len(m.goals)]
    with transaction.atomic():
        if to_write:
            Goal.objects.bulk_create(
                to_write,
                update_conflicts=True,
                unique_fields=["match", "sequence"],
                update_fields=["team", "scorer", "minute", "own_goal", "penalty"],
            )
        for match_id, sequence in stale:
            Goal.objects.filter(match_id=match_id, sequence=sequence).delete()
    if to_write:
        data_changed()  # bulk_create sends no signals; the deletes above did


def _goal_tuple(goal: Goal) -> tuple:
    return (goal.team_id, goal.scorer, goal.minute, goal.own_goal, goal.penalty)
