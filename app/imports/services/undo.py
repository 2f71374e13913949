"""Undo of an import: record what each batch changed as it is written, put it back on request.

Recording (`ImportRecorder.record`, called by `upsert_matches` inside each batch's transaction,
after the write): one `ImportChange` row per match the batch created or changed, with the old
values of the changed fields and a fingerprint of the match as written; one row per team or
season the import created. A few bulk statements per batch.

Undo (`run_undo`, a Celery task's body): batch by batch, each in a transaction that locks the
matches and records every outcome with its effect, so a worker killed mid-undo resumes where it
stopped and a second run changes nothing. A match whose fingerprint no longer matches was changed
by something else after the import: it is left as it is and listed, never overwritten.
"""

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

import psycopg
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from app.football.models import Match, Season, Team, TeamAlias
from app.football.services.matches import COMPARED_FIELDS, MatchChange
from app.football.services.standings import invalidate_standings
from app.imports import dispatch
from app.imports.models import ImportChange, ImportFile, ImportUndo

logger = logging.getLogger(__name__)

# Everything a write path sets on a match: a difference in any of them after the import means
# that something else changed the match.
STATE_FIELDS = COMPARED_FIELDS
HOME, AWAY, SEASON = (STATE_FIELDS.index(name) for name in ("home_team_id", "away_team_id", "season_id"))
MATCH, TEAM, SEASON_KIND = (int(kind) for kind in ImportChange.Kind)  # plain ints for raw SQL parameters
BATCH_SIZE = 5000
UNDOABLE_IMPORTS = (ImportFile.Status.DONE, ImportFile.Status.FAILED)


def fingerprint(values: Iterable[object]) -> int:
    """64-bit hash of a match's stored state: its STATE_FIELDS values, in that order, as the database
    returns them (str() of a date or an aware datetime does not depend on the driver's tz object)."""
    text = "\x1f".join(map(str, values))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def _states(column: str, keys: list, *, lock: bool = False) -> list[tuple]:
    """(id, external_id, *STATE_FIELDS values) of the matches whose `column` is in `keys`.

    On PostgreSQL one statement with an array parameter, bound by the server: the ORM's IN list of
    thousands of parameters, bound client-side, would cost more than the import's own write. The
    recording and the undo both read here, so their fingerprints see values of the same types.
    """
    if not keys:
        return []
    if connection.vendor != "postgresql":
        queryset = Match.objects.filter(**{f"{column}__in": keys})
        return list(
            (queryset.select_for_update() if lock else queryset).values_list("id", "external_id", *STATE_FIELDS)
        )
    columns = ", ".join(connection.ops.quote_name(_match_field(name).column or name) for name in STATE_FIELDS)
    sql = f"SELECT id, external_id, {columns} FROM {Match._meta.db_table} WHERE {column} = ANY(%s)" + (
        " FOR UPDATE" if lock else ""
    )
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, [keys])
        return cursor.fetchall()


class ImportRecorder:
    """Records an import's changes for its undo; one per run of the import."""

    def __init__(self, undo: ImportUndo) -> None:
        self.undo = undo

    @classmethod
    def begin(cls, *, import_file_id: int) -> "ImportRecorder":
        """Call before the import creates teams or seasons. A rerun (a redelivered task, "import
        again") adds to the same record; after a completed undo, a new one starts."""
        with transaction.atomic():
            ImportFile.objects.select_for_update().filter(pk=import_file_id).first()  # one run at a time
            undo = ImportUndo.objects.filter(import_file_id=import_file_id).order_by("-id").first()
            if undo is None or undo.status == ImportUndo.Status.DONE:
                undo = ImportUndo.objects.create(
                    import_file_id=import_file_id,
                    team_watermark=Team.objects.aggregate(top=Max("id"))["top"] or 0,
                    season_watermark=Season.objects.aggregate(top=Max("id"))["top"] or 0,
                )
        return cls(undo)

    def record(self, changes: list[MatchChange]) -> None:
        """The `on_changes` hook of upsert_matches: runs in the batch's transaction, after its write."""
        undo = self.undo
        by_external_id = {change.external_id: change for change in changes}
        rows: list[tuple] = []
        teams: set[int] = set()
        seasons: set[int] = set()
        for state in _states("external_id", list(by_external_id)):
            match_id, external_id, values = state[0], state[1], state[2:]
            change = by_external_id[external_id]
            old = None if change.created else json.dumps(change.old, cls=DjangoJSONEncoder)
            rows.append((undo.id, MATCH, match_id, external_id, old, fingerprint(values), ""))
            teams.update((values[HOME], values[AWAY]))
            seasons.add(values[SEASON])
        rows += [(undo.id, TEAM, t, "", None, None, "") for t in teams if t > undo.team_watermark]
        rows += [(undo.id, SEASON_KIND, s, "", None, None, "") for s in seasons if s > undo.season_watermark]
        _insert_changes(rows)


# Plain SQL: bulk_create's per-object work and psycopg's client-side binding of thousands of
# parameters would cost more than the import's own write. ON CONFLICT DO NOTHING: a rerun keeps
# the first record of a match, whose old values are those from before the import.
CHANGE_COLUMNS = "undo_id, kind, object_id, external_id, old_values, post_hash, outcome"
# PostgreSQL: COPY into a temporary table (emptied at commit), then one INSERT … SELECT.
STAGING_TABLE = "import_change_staging"
CREATE_STAGING = (
    f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING_TABLE} (undo_id bigint, kind smallint, object_id bigint, "
    "external_id varchar(64), old_values jsonb, post_hash bigint, outcome varchar(16)) ON COMMIT DELETE ROWS"
)
INSERT_VALUES = f"INSERT INTO {ImportChange._meta.db_table} ({CHANGE_COLUMNS}) VALUES {{values}} ON CONFLICT DO NOTHING"
INSERT_ROWS = 1000  # 7,000 parameters a statement: within SQLite's limit


def _insert_changes(rows: list[tuple]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(CREATE_STAGING)
            with cursor.copy(f"COPY {STAGING_TABLE} ({CHANGE_COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            # Moved, not copied: inside an outer transaction (tests) no commit would empty the table.
            cursor.execute(
                f"WITH moved AS (DELETE FROM {STAGING_TABLE} RETURNING {CHANGE_COLUMNS}) "
                f"INSERT INTO {ImportChange._meta.db_table} ({CHANGE_COLUMNS}) SELECT {CHANGE_COLUMNS} FROM moved "
                "ON CONFLICT DO NOTHING"
            )
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_ROWS):
            chunk = rows[start : start + INSERT_ROWS]
            sql = INSERT_VALUES.format(values=", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk)))
            cursor.execute(sql, [value for row in chunk for value in row])


def latest_undo(import_file_id: int) -> ImportUndo | None:
    return ImportUndo.objects.filter(import_file_id=import_file_id).order_by("-id").first()


def is_stalled(undo: ImportUndo) -> bool:
    """Running for longer than the hard task time limit: its worker and its message are gone."""
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    started = undo.started_at or undo.requested_at
    return undo.status == ImportUndo.Status.RUNNING and started is not None and timezone.now() - started > limit


def can_undo(import_file: ImportFile, undo: ImportUndo | None) -> bool:
    if undo is None or import_file.status not in UNDOABLE_IMPORTS:
        return False
    return undo.status in (ImportUndo.Status.AVAILABLE, ImportUndo.Status.FAILED) or is_stalled(undo)


@transaction.atomic
def request_undo(*, import_file_id: int, user_id: int | None) -> ImportUndo | None:
    """Mark the import's latest changes for undo; returns the undo to queue, None if there is nothing
    to undo now (never imported, already undone, or an undo is running)."""
    import_file = ImportFile.objects.select_for_update().get(pk=import_file_id)
    undo = ImportUndo.objects.select_for_update().filter(import_file_id=import_file_id).order_by("-id").first()
    if undo is None or not can_undo(import_file, undo):
        return None
    undo.status = ImportUndo.Status.RUNNING
    undo.requested_by_id = user_id
    undo.requested_at = timezone.now()
    undo.started_at = undo.finished_at = None
    undo.error_message = undo.task_id = ""
    undo.total = undo.changes.filter(kind=ImportChange.Kind.MATCH).count()
    undo.save()
    return undo


def queue_undo(undo_id: int) -> None:
    """Send an undo requested with request_undo to a worker."""
    task_id = dispatch.send_undo(undo_id)
    ImportUndo.objects.filter(pk=undo_id, task_id="").update(task_id=task_id)


@dataclass
class _BatchResult:
    outcomes: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    season_ids: set[int] = field(default_factory=set)

    def count(self, *outcomes: str) -> int:
        return sum(len(self.outcomes.get(outcome, ())) for outcome in outcomes)


def run_undo(*, undo_id: int, task_id: str = "", on_progress: Callable[[int], None] | None = None) -> ImportUndo:
    """Undo an import: delete the matches it created, restore those it changed, then remove the
    teams and seasons it created that nothing uses. Resumable and idempotent."""
    undo = ImportUndo.objects.get(pk=undo_id)
    if undo.status == ImportUndo.Status.DONE:
        return undo
    ImportUndo.objects.filter(pk=undo_id).update(
        status=ImportUndo.Status.RUNNING, started_at=timezone.now(), finished_at=None, error_message="",
        **({"task_id": task_id} if task_id else {}),
    )  # fmt: skip
    try:
        season_ids = _undo_matches(undo_id, on_progress)
        _remove_created(undo_id, ImportChange.Kind.TEAM, Team, ignore={TeamAlias})
        _remove_created(undo_id, ImportChange.Kind.SEASON, Season)
    except Exception:
        logger.exception("undo %s failed", undo_id)
        ImportUndo.objects.filter(pk=undo_id).update(
            status=ImportUndo.Status.FAILED,
            finished_at=timezone.now(),
            error_message=_("Geri alma beklenmeyen bir hata ile durdu; yeniden deneyebilirsiniz."),
        )
        raise
    invalidate_standings(season_ids)
    ImportUndo.objects.filter(pk=undo_id).update(status=ImportUndo.Status.DONE, finished_at=timezone.now())
    return ImportUndo.objects.get(pk=undo_id)


def _undo_matches(undo_id: int, on_progress: Callable[[int], None] | None) -> set[int]:
    season_ids: set[int] = set()
    # In the order of the unique index (undo, kind, object_id): no index of its own to maintain.
    pending = ImportChange.objects.filter(
        undo_id=undo_id, kind=ImportChange.Kind.MATCH, outcome=ImportChange.Outcome.PENDING
    ).order_by("object_id")
    while True:
        with transaction.atomic():
            # Two deliveries of the task take turns, batch by batch; neither sees the other's rows.
            ImportUndo.objects.select_for_update().filter(pk=undo_id).first()
            batch = list(pending[:BATCH_SIZE])
            if not batch:
                return season_ids
            result = _undo_batch(batch)
            for outcome, ids in result.outcomes.items():
                ImportChange.objects.filter(id__in=ids).update(outcome=outcome)
            ImportUndo.objects.filter(pk=undo_id).update(
                processed=F("processed") + len(batch),
                deleted=F("deleted") + result.count(ImportChange.Outcome.DELETED),
                restored=F("restored") + result.count(ImportChange.Outcome.RESTORED),
                kept=F("kept") + result.count(*ImportChange.KEPT_OUTCOMES),
            )
        season_ids |= result.season_ids
        if on_progress:
            on_progress(len(batch))


def _undo_batch(batch: list[ImportChange]) -> _BatchResult:
    result = _BatchResult()
    current = {state[0]: state for state in _states("id", [change.object_id for change in batch], lock=True)}
    dependent = _referenced_ids(Match, [c.object_id for c in batch if c.is_created and c.object_id in current])
    to_delete: list[int] = []
    to_restore: list[Match] = []
    restored_fields: set[str] = set()
    for change in batch:
        state = current.get(change.object_id)
        if state is None:
            outcome = ImportChange.Outcome.MISSING
        elif fingerprint(state[2:]) != change.post_hash:
            outcome = ImportChange.Outcome.CHANGED
        elif change.is_created and change.object_id in dependent:
            outcome = ImportChange.Outcome.HAS_DEPENDENTS
        elif change.is_created:
            outcome = ImportChange.Outcome.DELETED
            to_delete.append(change.object_id)
            result.season_ids.add(state[2 + SEASON])
        else:
            outcome = ImportChange.Outcome.RESTORED
            old = _decoded(change.old_values or {})
            restored_fields.update(old)
            values = {"external_id": state[1], **dict(zip(STATE_FIELDS, state[2:], strict=True)), **old}
            to_restore.append(Match(**values))
            result.season_ids.update((state[2 + SEASON], values["season_id"]))
        result.outcomes[outcome].append(change.id)
    if to_delete:
        _delete_matches(to_delete)
    if to_restore:
        # One upsert by external_id: the stored row gets its old values back in the restored fields.
        Match.objects.bulk_create(
            to_restore,
            update_conflicts=True,
            unique_fields=["external_id"],
            update_fields=[*sorted(restored_fields), "updated_at"],
        )
    return result


def _decoded(old_values: dict) -> dict:
    """JSON back to field values (dates and times were stored as ISO text)."""
    return {name: _match_field(name).to_python(value) for name, value in old_values.items()}


def _match_field(name: str) -> models.Field:
    """A column of Match (get_field may also answer a relation or a generic key, which have no column)."""
    column = Match._meta.get_field(name)
    if not isinstance(column, models.Field):
        raise TypeError(f"Match.{name} is not a column")
    return column


def _reverse_relations(model: type[models.Model], ignore: Iterable[type[models.Model]] = ()) -> list:
    ignored = set(ignore)
    return [
        relation
        for relation in model._meta.get_fields(include_hidden=True)
        if relation.one_to_many and relation.auto_created and relation.related_model not in ignored
    ]


def _referenced_ids(
    model: type[models.Model], ids: list[int], ignore: Iterable[type[models.Model]] = (), *, all_relations: bool = False
) -> set[int]:
    """Those of `ids` that another row points at through a relation that would block or cascade
    a delete (all relations with `all_relations`): deleting them would take more than the import made."""
    found: set[int] = set()
    if not ids:
        return found
    for relation in _reverse_relations(model, ignore):
        if not all_relations and relation.on_delete not in (models.CASCADE, models.PROTECT, models.RESTRICT):
            continue
        column = relation.field.attname
        found.update(
            relation.related_model._base_manager.filter(**{f"{column}__in": ids}).values_list(column, flat=True)
        )
    return found


def _delete_matches(ids: list[int]) -> None:
    # Bulk and without per-object signals (their standings invalidation is done once at the end);
    # rows pointing here with SET_NULL (e.g. a fetch item) are let go first, as delete() would.
    for relation in _reverse_relations(Match):
        if relation.on_delete is models.SET_NULL:
            column = relation.field.attname
            relation.related_model._base_manager.filter(**{f"{column}__in": ids}).update(**{column: None})
    Match.objects.filter(id__in=ids)._raw_delete(Match.objects.db)


def _remove_created(
    undo_id: int, kind: int, model: type[models.Model], ignore: Iterable[type[models.Model]] = ()
) -> None:
    """Delete the teams (seasons) the import created that nothing refers to any more."""
    with transaction.atomic():
        ImportUndo.objects.select_for_update().filter(pk=undo_id).first()
        changes = list(ImportChange.objects.filter(undo_id=undo_id, kind=kind, outcome=ImportChange.Outcome.PENDING))
        if not changes:
            return
        ids = [change.object_id for change in changes]
        stored = set(model._base_manager.filter(id__in=ids).values_list("id", flat=True))
        in_use = _referenced_ids(model, list(stored), ignore, all_relations=True)
        removable = stored - in_use
        model._base_manager.filter(id__in=removable).delete()
        outcomes = {
            ImportChange.Outcome.DELETED: [c.id for c in changes if c.object_id in removable],
            ImportChange.Outcome.IN_USE: [c.id for c in changes if c.object_id in in_use],
            ImportChange.Outcome.MISSING: [c.id for c in changes if c.object_id not in stored],
        }
        for outcome, change_ids in outcomes.items():
            ImportChange.objects.filter(id__in=change_ids).update(outcome=outcome)
        counter = "teams_removed" if kind == ImportChange.Kind.TEAM else "seasons_removed"
        ImportUndo.objects.filter(pk=undo_id).update(**{counter: len(removable)})
