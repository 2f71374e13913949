"""Read paths of the import area: who may do what, and what the pages, the admin and the status endpoint show."""

from typing import Any, Protocol

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from app.football.models import Match
from app.imports.models import ImportFile
from app.imports.services.fields import FIELD_BY_NAME, label

# The import workflow's permissions, the admin's own for ImportFile plus the two custom ones; the
# plain pages and the admin entry check these same names (the admin through its model permissions).
VIEW_PERMISSIONS = ("imports.view_importfile", "imports.change_importfile")  # change implies view, as in the admin
ADD_PERMISSION = "imports.add_importfile"  # upload (and the template workbook that prepares one)
CHANGE_PERMISSION = "imports.change_importfile"  # the preview's column mapping and sheet choice
START_PERMISSION = "football.import_matches"  # confirm: write the rows into the matches
UNDO_PERMISSION = "imports.undo_import"
EXPORT_PERMISSION = "football.export_matches"


def can_view_imports(user: AbstractUser | AnonymousUser) -> bool:
    return user.is_authenticated and any(user.has_perm(perm) for perm in VIEW_PERMISSIONS)


def import_files() -> QuerySet[ImportFile]:
    return ImportFile.objects.select_related("uploaded_by", "competition").defer("row_errors", "preview_rows")


class _Headed(Protocol):
    original_name: str
    status: str


def heading(import_file: _Headed) -> str:
    """The page heading follows the file's state: preview, importing, imported, undone, failed."""
    name = import_file.original_name
    # An undone import keeps its status "done"; `is_undone` (the undo's record) tells them apart.
    if getattr(import_file, "is_undone", False):
        return _("Geri alındı: {name}").format(name=name)
    texts = {
        ImportFile.Status.RUNNING: _("İçe aktarılıyor: {name}"),
        ImportFile.Status.DONE: _("İçe aktarıldı: {name}"),
        ImportFile.Status.FAILED: _("İçe aktarılamadı: {name}"),
    }
    return texts.get(ImportFile.Status(import_file.status), _("Önizleme: {name}")).format(name=name)


def next_step(import_file: ImportFile) -> str:
    """The list's button for one file: only a checked, never imported file offers the preview's confirm."""
    if import_file.status == ImportFile.Status.VALIDATED:
        return _("Önizle ve içe aktar")
    if import_file.status == ImportFile.Status.RUNNING:
        return _("İlerlemeyi gör")
    return _("Raporu gör")


def mapping_rows(import_file: ImportFile) -> list[tuple[str, str]]:
    """(header in the file, field label in the current language) for the preview."""
    columns = import_file.column_mapping.get("columns", [])
    return [(header, label(field)) for header, field in columns if field in FIELD_BY_NAME]


def change_rows(import_file: ImportFile) -> list[dict[str, Any]]:
    """The preview's changes with field labels (and status labels) in the current language."""
    rows = []
    for change in import_file.changes:
        fields = []
        for name, old, new in change["fields"]:
            if name == "status":
                old, new = (str(Match.Status(v).label) if v in Match.Status.values else v for v in (old, new))
            fields.append((label(name) if name in FIELD_BY_NAME else name, old, new))
        rows.append({**change, "fields": fields})
    return rows


def import_status(import_file: ImportFile) -> dict[str, Any]:
    """The small JSON the progress bar polls (progress.js: `is_active`, `progress_percent`, named fields)."""
    finished = import_file.status in (ImportFile.Status.DONE, ImportFile.Status.FAILED)
    return {
        "id": import_file.id,
        "status": import_file.status,
        "status_label": str(import_file.get_status_display()),
        "total_rows": import_file.total_rows,
        "processed_rows": import_file.processed_rows,
        "percent": import_file.progress_percent,
        "progress_percent": import_file.progress_percent,
        "created": import_file.created_count,
        "updated": import_file.updated_count,
        "unchanged": import_file.unchanged_count,
        "rejected": import_file.rejected_count,
        "error_message": import_file.error_message,
        "finished": finished,
        "is_active": import_file.status == ImportFile.Status.RUNNING,
    }
