"""Read paths of the import area: what the admin, the web page and the status endpoint show."""

from django.db.models import QuerySet

from app.imports.models import ImportFile


def import_files() -> QuerySet[ImportFile]:
    return ImportFile.objects.select_related("uploaded_by", "competition").defer("row_errors", "preview_rows")


def import_status(import_file: ImportFile) -> dict:
    """The small JSON the progress bar polls."""
    finished = import_file.status in (ImportFile.Status.DONE, ImportFile.Status.FAILED)
    return {
        "id": import_file.id,
        "status": import_file.status,
        "status_label": str(import_file.get_status_display()),
        "total_rows": import_file.total_rows,
        "processed_rows": import_file.processed_rows,
        "percent": import_file.progress_percent,
        "created": import_file.created_count,
        "updated": import_file.updated_count,
        "unchanged": import_file.unchanged_count,
        "rejected": import_file.rejected_count,
        "error_message": import_file.error_message,
        "finished": finished,
    }
