"""The one write path for matches: bulk, idempotent upserts keyed by `external_id`.

The demo loader, the Excel importer and the provider fetcher all end here, so a match is stored
the same way whatever door it came through, and a second run of anything changes nothing.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from itertools import islice

from django.db import transaction

from app.football.models import Competition, Match, Season
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
RECORD_FIELDS = tuple(f.name for f in fields(MatchRecord))  # fields() per record costs more than the copy


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


def upsert_matches(
    records: Iterable[MatchRecord],
    *,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
    keep_fields: Sequence[str] = (),
) -> UpsertCounts:
    """Insert new matches and update changed ones, batch by batch, each batch in a transaction.

    Unchanged rows cost one read and no write. `on_batch(n)` is called after each batch with the
    number of records it held (progress reporting). Standings of touched seasons are invalidated.
    `keep_fields`: fields a source does not have (e.g. an Excel file without a kickoff column);
    stored matches keep their values, new ones get the record's.
    """
    total = UpsertCounts()
    iterator = iter(records)
    compared = tuple(name for name in COMPARED_FIELDS if name not in keep_fields)
    while batch := list(islice(iterator, batch_size)):
        total.add(_upsert_batch(batch, compared))
        if on_batch:
            on_batch(len(batch))
    if total.created or total.updated:
        invalidate_standings(total.season_ids)
        data_changed()
    return total


def _upsert_batch(batch: Sequence[MatchRecord], compared: tuple[str, ...] = COMPARED_FIELDS) -> UpsertCounts:
    counts = UpsertCounts()
    by_id = {record.external_id: record for record in batch}  # last one wins inside a batch
    with transaction.atomic():
        stored = {
            row["external_id"]: row
            for row in Match.objects.filter(external_id__in=by_id.keys()).values("external_id", *compared)
        }
        to_write = []
        for external_id, record in by_id.items():
            old = stored.get(external_id)
            if old is None:
                counts.created += 1
            elif any(old[name] != getattr(record, name) for name in compared):
                counts.updated += 1
                counts.season_ids.add(old["season_id"])
            else:
                counts.unchanged += 1
                continue
            counts.season_ids.add(record.season_id)
            to_write.append(Match(**{name: getattr(record, name) for name in RECORD_FIELDS}))
        if to_write:
            Match.objects.bulk_create(
                to_write,
                update_conflicts=True,
                unique_fields=["external_id"],
                update_fields=[*compared, "updated_at"],
            )
    return counts


class SeasonResolver:
    """Season ids by (competition, start year), created on first sight; cached per instance."""

    def __init__(self, competition: Competition, *, name_format: str = "league") -> None:
        self.competition = competition
        self.name_format = name_format
        self._ids = dict(Season.objects.filter(competition=competition).values_list("start_year", "id"))

    def id_for(self, start_year: int) -> int:
        if start_year not in self._ids:
            season, _ = Season.objects.get_or_create(
                competition=self.competition,
                start_year=start_year,
                defaults={"name": season_name(start_year, self.name_format)},
            )
            self._ids[start_year] = season.id
        return self._ids[start_year]


def season_name(start_year: int, name_format: str = "league") -> str:
    """`2023-24` for a league season starting in 2023, `2023` for a calendar-year one."""
    if name_format == "calendar":
        return str(start_year)
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def league_season_start_year(match_date: date, *, first_month: int = 7) -> int:
    """The season a league match belongs to, for sources that give only a date (Jul-Jun)."""
    return match_date.year if match_date.month >= first_month else match_date.year - 1
