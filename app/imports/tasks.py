"""Celery tasks of the Excel import: thin wrappers around services.importing."""

from celery import Task, shared_task

from app.imports import dispatch
from app.imports.models import ImportFile
from app.imports.services.importing import run_import
from app.imports.services.undo import run_undo


@shared_task(bind=True, name=dispatch.RUN_IMPORT, acks_late=True)
def run_import_task(self: Task, import_file_id: int) -> dict:
    """Import one uploaded file; safe to run twice (idempotent upserts), so acks_late is harmless."""
    import_file = ImportFile.objects.filter(pk=import_file_id).first()
    if import_file is None:
        return {"missing": import_file_id}
    if import_file.status == ImportFile.Status.DONE and import_file.task_id == self.request.id:
        # Redelivered after it finished but before the ack reached the broker: the work is done.
        return _report(import_file)
    return _report(run_import(import_file_id=import_file_id, task_id=self.request.id or ""))


def _report(import_file: ImportFile) -> dict:
    return {
        "import_file": import_file.id,
        "status": import_file.status,
        "total": import_file.total_rows,
        "created": import_file.created_count,
        "updated": import_file.updated_count,
        "unchanged": import_file.unchanged_count,
        "rejected": import_file.rejected_count,
        "error": import_file.error_message,
    }


@shared_task(bind=True, name=dispatch.UNDO_IMPORT, acks_late=True)
def undo_import_task(self: Task, undo_id: int) -> dict:
    """Undo one import; resumable and idempotent (each batch records its outcome with its effect)."""
    undo = run_undo(undo_id=undo_id, task_id=self.request.id or "")
    counts = ("deleted", "restored", "kept", "teams_removed", "seasons_removed")
    return {"undo": undo.id, "status": undo.status, **{name: getattr(undo, name) for name in counts}}
