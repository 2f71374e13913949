"""Is this the same match? The one rule every source (Excel, the API fetch, the demo loader) asks.

A match that comes with an id of its own (a provider id, an id column) is that id. One that comes
without is identified by what it is, never by how its names were spelled: the stored match of the
same competition with the same resolved home and away teams, on the same day or within
MATCH_DATE_TOLERANCE_DAYS of it (a late kick-off dated the next day, a date typed off by one).
"""

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import islice
from typing import Any

from django.conf import settings

from app.football.models import Competition, Match, Season
from app.football.naming import stable_external_id
from app.football.services.matches import MatchRecord
from app.football.services.teams import TeamIndex

_CHUNK = 2000


@dataclass(frozen=True)
class MatchIdentity:
    """What a match is: competition, day and the resolved teams."""

    competition_id: int
    date: date
    home_team_id: int
    away_team_id: int


def tolerance_days() -> int:
    return max(0, settings.MATCH_DATE_TOLERANCE_DAYS)


def stored_external_ids(external_ids: Iterable[str]) -> set[str]:
    """The ids among these that a stored match has."""
    ids = list(dict.fromkeys(external_ids))
    found: set[str] = set()
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        found.update(Match.objects.filter(external_id__in=chunk).values_list("external_id", flat=True))
    return found


def find_stored(
    identities: Iterable[MatchIdentity],
    *,
    taken: Collection[str] = (),
    days: int | None = None,
    other_source_than: str = "",
) -> dict[MatchIdentity, str]:
    """The external id of the stored match each identity is, for those that have one.

    The nearest date wins (the same day first); a stored match is given to one identity only, and
    never to one when its id is in `taken` (claimed by a record that carries that id itself).
    `other_source_than`: only matches stored from another source are candidates (a source whose
    own ids are stable knows its matches by them; its real double-headers stay two matches).
    """
    days = tolerance_days() if days is None else days
    wanted = list(dict.fromkeys(identities))
    found: dict[MatchIdentity, str] = {}
    claimed = set(taken)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        dates = {each.date + timedelta(days=shift) for each in chunk for shift in range(-days, days + 1)}
        stored: dict[tuple[int, int, int], list[tuple[date, str]]] = defaultdict(list)
        rows: Any = Match.objects.filter(
            home_team_id__in={wanted_match.home_team_id for wanted_match in chunk},
            away_team_id__in={wanted_match.away_team_id for wanted_match in chunk},
            date__in=dates,
        )
        if other_source_than:
            rows = rows.exclude(source=other_source_than)
        rows = rows.values_list("season__competition_id", "home_team_id", "away_team_id", "date", "external_id")
        for competition_id, home_id, away_id, day, external_id in rows:
            stored[(competition_id, home_id, away_id)].append((day, external_id))
        candidates = []
        for wanted_match in chunk:
            key = (wanted_match.competition_id, wanted_match.home_team_id, wanted_match.away_team_id)
            for day, external_id in stored.get(key, ()):
                distance = abs((day - wanted_match.date).days)
                if distance <= days:
                    candidates.append((distance, day, external_id, wanted_match))
        for _distance, _day, external_id, identity in sorted(candidates, key=lambda c: c[:3]):
            if identity not in found and external_id not in claimed:
                found[identity] = external_id
                claimed.add(external_id)
    return found


def identified(records: Iterable[MatchRecord], *, batch_size: int = _CHUNK) -> Iterator[MatchRecord]:
    """`with_stored_ids` over a stream of records of one source, a batch at a time."""
    iterator = iter(records)
    while batch := list(islice(iterator, batch_size)):
        yield from with_stored_ids(batch)


def with_stored_ids(records: Sequence[MatchRecord]) -> list[MatchRecord]:
    """Records whose id no stored match has take the id of the stored match they are, if any.

    For sources whose ids are derived from names (the demo loader): a match stored from another
    source under another spelling is updated, not stored twice. Records of one source (their
    `source`) are never matched to that source's own stored matches.
    """
    stored = stored_external_ids(record.external_id for record in records)
    unknown = [record for record in records if record.external_id not in stored]
    if not unknown:
        return list(records)
    competition_of = dict(
        Season.objects.filter(id__in={record.season_id for record in unknown}).values_list("id", "competition_id")
    )
    identity_of = {record.external_id: identity(record, competition_of[record.season_id]) for record in unknown}
    found = find_stored(identity_of.values(), taken=stored, other_source_than=records[0].source)
    return [
        replace(record, external_id=found[identity_of[record.external_id]])
        if record.external_id in identity_of and identity_of[record.external_id] in found
        else record
        for record in records
    ]


def identity(record: MatchRecord, competition_id: int) -> MatchIdentity:
    return MatchIdentity(competition_id, record.date, record.home_team_id, record.away_team_id)


@dataclass(frozen=True)
class NamedMatch:
    """A match as a source without ids gives it: competition, day and the team names as written."""

    competition: Competition
    date: date
    home: str
    away: str


def ids_for_named(matches: Sequence[NamedMatch], *, other_ids: Iterable[str] = ()) -> list[tuple[str, bool]]:
    """An id for each match that came without one, and whether it is a stored match's.

    A stored match it is (same competition, teams and day ± tolerance) gives its id; otherwise the
    id is built from the teams the names mean, so two spellings of one new match get one id.
    `other_ids` are ids the same source carries itself: a stored match with one of them is not
    claimed by a match without an id.
    """
    index = TeamIndex()
    generated = []
    for match in matches:
        national = match.competition.kind == Competition.Kind.INTERNATIONAL
        home = index.identity_key(match.home, national=national)
        away = index.identity_key(match.away, national=national)
        generated.append(stable_external_id(match.date, home, away))
    stored = stored_external_ids([*generated, *other_ids])
    identities: dict[int, MatchIdentity] = {}
    for position, (match, external_id) in enumerate(zip(matches, generated, strict=True)):
        if external_id in stored:
            continue
        national = match.competition.kind == Competition.Kind.INTERNATIONAL
        home_id, away_id = index.find(match.home, national=national), index.find(match.away, national=national)
        if home_id is not None and away_id is not None:  # a team not stored yet has no stored match
            identities[position] = MatchIdentity(match.competition.id, match.date, home_id, away_id)
    found = find_stored(identities.values(), taken=stored) if identities else {}
    result = []
    for position, external_id in enumerate(generated):
        known = identities.get(position)
        if known is not None and known in found:
            result.append((found[known], True))
        else:
            result.append((external_id, external_id in stored))
    return result
