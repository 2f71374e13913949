"""The one write path for matches: bulk, idempotent upserts keyed by `external_id`.

The demo loader, the Excel importer and the provider fetcher all end here, so a match is stored
the same way whatever door it came through, and a second run of anything changes nothing.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from itertools import islice
from zlib import crc32

from django.db import connection, transaction

from app.football.models import Competition, Match, Season
from app.football.seasons import calendar_for
from app.football.services.data_version import data_changed
from app.football.services.standings import invalidate_standings

BATCH_SIZE = 2000


@dataclass(frozen=True)
class MatchRecord:
    """A validated match, ready to store; team and season already resolved to ids."""

    external_id: str
    season_id: int
    date: date
    home_team_id: int
    away_team_id: int
    home_score: int | None
    away_score: int | None
    status: str = Match.Status.FINISHED
    tournament: str = ""
    venue: str = ""
    city: str = ""
    country: str = ""
    neutral: bool = False
    source: str = Match.Source.ADMIN
    kickoff: datetime | None = None
    matchday: int | None = None
    provider_id: int | None = None


# Fields compared to decide whether a stored match changed; `source` is where it came from
# first and does not make a match "changed".
COMPARED_FIELDS = tuple(f.name for f in fields(MatchRecord) if f.name not in {"external_id", "source"})
RECORD_FIELDS = tuple(f.name for f in fields(MatchRecord))
_SCORES = {"home_score", "away_score"}  # fields() per record costs more than the copy


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    season_ids: set[int] = field(default_factory=set)

    def add(self, other: "UpsertCounts") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.season_ids |= other.season_ids

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass(frozen=True)
class MatchChange:
    """What a write does to one match: the fields that change, with the stored and the new values.

    `match_id` is None for a match that does not exist yet (then `old` is empty and `new` holds
    every field of the record). The Excel preview shows these; the undo of an import restores `old`.
    """

    external_id: str
    match_id: int | None
    old: dict[str, object]
    new: dict[str, object]

    @property
    def created(self) -> bool:
        return self.match_id is None


def compared_fields(keep_fields: Sequence[str] = ()) -> tuple[str, ...]:
    """The fields a write sets: all of a record's except those its source does not carry."""
    return tuple(name for name in COMPARED_FIELDS if name not in keep_fields)


def stored_values(external_ids: Iterable[str], fields: Sequence[str]) -> dict[str, dict]:
    """external_id → {"id": …, field: stored value} of the stored matches among these ids."""
    ids = list(external_ids)
    stored: dict[str, dict] = {}
    for start in range(0, len(ids), 5000):
        for row in Match.objects.filter(external_id__in=ids[start : start + 5000]).values("id", "external_id", *fields):
            stored[row["external_id"]] = row
    return stored


def batch_changes(batch: Sequence[MatchRecord], fields: Sequence[str]) -> tuple[list[MatchChange], int]:
    """Changes the records would make (new or changed matches) and the number of unchanged ones.

    Read-only, so the preview and the write share it; a record whose fields all equal the stored
    ones is no change. Inside one batch the last record of an id wins.
    """
    by_id = {record.external_id: record for record in batch}
    stored = stored_values(by_id.keys(), fields)
    changes = []
    unchanged = 0
    for external_id, record in by_id.items():
        old = stored.get(external_id)
        if old is None:
            # vars() copy: every field of the record, at a fraction of a comprehension's cost (50,000 rows).
            changes.append(MatchChange(external_id, None, {}, vars(record).copy()))
            continue
        differing = [name for name in fields if old[name] != getattr(record, name)]
        if not differing:
            unchanged += 1
            continue
        if ("home_score" in differing) != ("away_score" in differing) and _SCORES <= set(fields):
            differing = [*differing, "away_score" if "home_score" in differing else "home_score"]  # a score is a pair
        changes.append(
            MatchChange(
                external_id,
                old["id"],
                {name: old[name] for name in differing},
                {name: getattr(record, name) for name in differing},
            )
        )
    return changes, unchanged


def match_changes(
    records: Iterable[MatchRecord], *, keep_fields: Sequence[str] = (), batch_size: int = BATCH_SIZE
) -> Iterator[MatchChange | int]:
    """Dry run of `upsert_matches`: yields each change it would make and, per batch, the unchanged count."""
    fields = compared_fields(keep_fields)
    iterator = iter(records)
    while batch := list(islice(iterator, batch_size)):
        changes, unchanged = batch_changes(batch, fields)
        yield from changes
        yield unchanged


def upsert_matches(
    records: Iterable[MatchRecord],
    *,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
    keep_fields: Sequence[str] = (),
    on_changes: Callable[[list[MatchChange]], None] | None = None,
) -> UpsertCounts:
    """Insert new matches and update changed ones, batch by batch, each batch in a transaction.

    Partial updates: `keep_fields` are fields the source does not carry (an Excel file without a
    score or kickoff column): a stored match keeps its values there, a new one gets the record's
    (defaults). Only the fields that differ decide whether a match changed; unchanged rows cost
    one read and no write. `on_changes(changes)` is called inside each batch's transaction, after
    the write (new matches have ids then), with the old and new values of every field that changes
    (to make it undoable: what it records commits or rolls back with the write).
    `on_batch(n)` is called after each batch with the number of records it held (progress).
    Standings of touched seasons are invalidated.
    """
    total = UpsertCounts()
    iterator = iter(records)
    compared = compared_fields(keep_fields)
    while batch := list(islice(iterator, batch_size)):
        total.add(_upsert_batch(batch, compared, on_changes))
        if on_batch:
            on_batch(len(batch))
    if total.created or total.updated:
        invalidate_standings(total.season_ids)
        data_changed()
    return total


# Advisory locks: a namespace of ours (the two-key form), and external ids hashed to few buckets,
# so a batch of thousands of rows holds at most this many locks (PostgreSQL's lock table is small).
MATCH_LOCK_NAMESPACE = 0x4D4D  # "MM"
MATCH_LOCK_BUCKETS = 64


def _lock_external_ids(external_ids: Iterable[str]) -> None:
    """Wait until no other transaction is writing any of these matches; held until commit.

    Without it, two writers of the same rows at once (two imports of one file, an import and a
    fetch) both read "not stored yet", both count the row as created and both record it for their
    undo. Taken in ascending order, so two batches never wait for each other in a circle.
    """
    if connection.vendor != "postgresql":  # SQLite: one writer at a time anyway (IMMEDIATE)
        return
    buckets = sorted({crc32(external_id.encode()) % MATCH_LOCK_BUCKETS for external_id in external_ids})
    with connection.cursor() as cursor:
        # unnest emits the array in its order: the locks are taken one after another, ascending.
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, bucket)) FROM unnest(%s::integer[]) AS bucket",
            [MATCH_LOCK_NAMESPACE, buckets],
        )


def _upsert_batch(
    batch: Sequence[MatchRecord],
    compared: tuple[str, ...] = COMPARED_FIELDS,
    on_changes: Callable[[list[MatchChange]], None] | None = None,
) -> UpsertCounts:
    counts = UpsertCounts()
    by_id = {record.external_id: record for record in batch}  # last one wins inside a batch
    with transaction.atomic():
        _lock_external_ids(by_id)
        changes, counts.unchanged = batch_changes(batch, compared)
        if not changes:
            return counts
        to_write = []
        for change in changes:
            record = by_id[change.external_id]
            if change.created:
                counts.created += 1
            else:
                counts.updated += 1
                if isinstance(old_season_id := change.old.get("season_id"), int):  # the season it leaves
                    counts.season_ids.add(old_season_id)
            counts.season_ids.add(record.season_id)
            to_write.append(Match(**{name: getattr(record, name) for name in RECORD_FIELDS}))
        # update_fields are the compared ones only: a kept field is never overwritten on conflict.
        Match.objects.bulk_create(
            to_write,
            update_conflicts=True,
            unique_fields=["external_id"],
            update_fields=[*compared, "updated_at"],
        )
        if on_changes:
            on_changes(changes)
    return counts


class SeasonResolver:
    """Season ids by (competition, start year), created on first sight; cached per instance."""

    def __init__(self, competition: Competition) -> None:
        self.competition = competition
        self.calendar = calendar_for(competition)
        self._ids = dict(Season.objects.filter(competition=competition).values_list("start_year", "id"))

    def id_for(self, start_year: int) -> int:
        if start_year not in self._ids:
            season, _ = Season.objects.get_or_create(
                competition=self.competition,
                start_year=start_year,
                defaults={"name": self.calendar.season_name(start_year)},
            )
            self._ids[start_year] = season.id
        return self._ids[start_year]
