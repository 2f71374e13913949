"""Read paths of the undo: what the import's page, the admin and the progress bar show."""

from typing import Any

from django.db.models import QuerySet

from app.imports.models import ImportChange, ImportUndo

KEPT_SHOWN = 200


def kept_matches(undo: ImportUndo) -> QuerySet[ImportChange]:
    """Matches the undo left as they are (changed, deleted or given goals since the import)."""
    return ImportChange.objects.filter(
        undo=undo, kind=ImportChange.Kind.MATCH, outcome__in=ImportChange.KEPT_OUTCOMES
    ).order_by("id")


def undo_status(undo: ImportUndo) -> dict[str, Any]:
    """The small JSON the undo's progress bar polls (the same shape as the import's, see progress.js)."""
    return {
        "id": undo.id,
        "status": undo.status,
        "status_label": str(undo.get_status_display()),
        "total_rows": undo.total,
        "processed_rows": undo.processed,
        "percent": undo.progress_percent,
        "progress_percent": undo.progress_percent,
        "deleted": undo.deleted,
        "restored": undo.restored,
        "kept": undo.kept,
        "teams_removed": undo.teams_removed,
        "seasons_removed": undo.seasons_removed,
        "error_message": undo.error_message,
        "finished": undo.status in (ImportUndo.Status.DONE, ImportUndo.Status.FAILED),
        "is_active": undo.status == ImportUndo.Status.RUNNING,
    }
