"""Celery tasks of the Excel import: thin wrappers around services.importing."""

from celery import Task, shared_task

from app.imports import dispatch
from app.imports.models import ImportFile
from app.imports.services.importing import continue_import, resume_stalled_imports
from app.imports.services.undo import run_undo


@shared_task(bind=True, name=dispatch.RUN_IMPORT, acks_late=True)
def run_import_task(self: Task, import_file_id: int) -> dict:
    """Import one queued file. A second delivery (acks_late after a crash, a resumed import) takes
    over only from an execution that stopped renewing its lease, and goes on where it stopped."""
    if not ImportFile.objects.filter(pk=import_file_id).exists():
        return {"missing": import_file_id}
    return _report(continue_import(import_file_id=import_file_id, task_id=self.request.id or ""))


@shared_task(name="imports.resume_stalled_imports", acks_late=True)
def resume_stalled_imports_task() -> list[int]:
    return resume_stalled_imports()


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
