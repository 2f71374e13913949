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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from app.football.models import Match, Season, Team, TeamAlias
from app.football.services.matches import COMPARED_FIELDS, MatchChange, stored_values
from app.football.services.standings import invalidate_standings
from app.imports.models import ImportChange, ImportFile, ImportUndo

logger = logging.getLogger(__name__)

# Everything a write path sets on a match: a difference in any of them after the import means
# that something else changed the match.
STATE_FIELDS = COMPARED_FIELDS
BATCH_SIZE = 5000
KEPT_OUTCOMES = (ImportChange.Outcome.CHANGED, ImportChange.Outcome.MISSING, ImportChange.Outcome.HAS_DEPENDENTS)
UNDOABLE_IMPORTS = (ImportFile.Status.DONE, ImportFile.Status.FAILED)


def fingerprint(row: Mapping[str, object]) -> int:
    """64-bit hash of a match's stored state (the values the database returns)."""
    text = json.dumps([row[name] for name in STATE_FIELDS], cls=DjangoJSONEncoder, separators=(",", ":"))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


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
        written = stored_values((change.external_id for change in changes), STATE_FIELDS)
        rows, teams, seasons = [], set(), set()
        for change in changes:
            match = written[change.external_id]
            rows.append(
                ImportChange(
                    undo_id=undo.id,
                    object_id=match["id"],
                    external_id=change.external_id,
                    old_values=None if change.created else change.old,
                    post_hash=fingerprint(match),
                )
            )
            teams.update((match["home_team_id"], match["away_team_id"]))
            seasons.add(match["season_id"])
        rows += [
            ImportChange(undo_id=undo.id, kind=ImportChange.Kind.TEAM, object_id=team_id)
            for team_id in sorted(teams)
            if team_id > undo.team_watermark
        ]
        rows += [
            ImportChange(undo_id=undo.id, kind=ImportChange.Kind.SEASON, object_id=season_id)
            for season_id in sorted(seasons)
            if season_id > undo.season_watermark
        ]
        # A rerun keeps the first record of a match: its old values are the ones before the import.
        ImportChange.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH_SIZE)


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
    if not can_undo(import_file, undo):
        return None
    undo.status = ImportUndo.Status.RUNNING
    undo.requested_by_id = user_id
    undo.requested_at = timezone.now()
    undo.started_at = undo.finished_at = None
    undo.error_message = undo.task_id = ""
    undo.total = undo.changes.filter(kind=ImportChange.Kind.MATCH).count()
    undo.save()
    return undo


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
    pending = ImportChange.objects.filter(
        undo_id=undo_id, kind=ImportChange.Kind.MATCH, outcome=ImportChange.Outcome.PENDING
    ).order_by("id")
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
                kept=F("kept") + result.count(*KEPT_OUTCOMES),
            )
        season_ids |= result.season_ids
        if on_progress:
            on_progress(len(batch))


def _undo_batch(batch: list[ImportChange]) -> _BatchResult:
    result = _BatchResult()
    current = {
        row["id"]: row
        for row in Match.objects.select_for_update()
        .filter(id__in=[change.object_id for change in batch])
        .values("id", "external_id", *STATE_FIELDS)
    }
    dependent = _referenced_ids(Match, [c.object_id for c in batch if c.is_created and c.object_id in current])
    to_delete: list[int] = []
    to_restore: list[Match] = []
    restored_fields: set[str] = set()
    for change in batch:
        row = current.get(change.object_id)
        if row is None:
            outcome = ImportChange.Outcome.MISSING
        elif fingerprint(row) != change.post_hash:
            outcome = ImportChange.Outcome.CHANGED
        elif change.is_created and row["id"] in dependent:
            outcome = ImportChange.Outcome.HAS_DEPENDENTS
        elif change.is_created:
            outcome = ImportChange.Outcome.DELETED
            to_delete.append(row["id"])
            result.season_ids.add(row["season_id"])
        else:
            outcome = ImportChange.Outcome.RESTORED
            old = _decoded(change.old_values)
            restored_fields.update(old)
            values = {name: value for name, value in row.items() if name != "id"} | old
            to_restore.append(Match(**values))
            result.season_ids.update((row["season_id"], values["season_id"]))
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
    return {name: Match._meta.get_field(name).to_python(value) for name, value in old_values.items()}


def _reverse_relations(model: type[models.Model], ignore: Iterable[type[models.Model]] = ()) -> list:
    ignored = set(ignore)
    return [
        relation
        for relation in model._meta.get_fields(include_hidden=True)
        if relation.one_to_many and relation.auto_created and relation.related_model not in ignored
    ]


def _referenced_ids(
    model: type[models.Model], ids: list[int], ignore: Iterable[type[models.Model]] = (), *, all_relations=False
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
