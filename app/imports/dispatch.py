"""The one place imports and undos become Celery messages.

Signatures are built by task name, so services can send work without importing tasks.py
(tasks.py → services → dispatch, never back).
"""

from __future__ import annotations

from celery import current_app

RUN_IMPORT = "imports.run_import"
UNDO_IMPORT = "imports.undo_import"


def send_import(import_file_id: int) -> str:
    """Queue the import of one file; returns the task id."""
    return current_app.signature(RUN_IMPORT, args=(import_file_id,)).apply_async().id


def send_undo(undo_id: int) -> str:
    """Queue one undo; returns the task id."""
    return current_app.signature(UNDO_IMPORT, args=(undo_id,)).apply_async().id
