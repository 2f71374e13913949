"""Store the files of one upload and say, per file, what became of it (the page shows these notes)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from app.imports.models import ImportFile
from app.imports.services.importing import UploadRejected, store_upload


@dataclass(frozen=True)
class UploadNote:
    """One file's outcome: the stored record (None if refused outright) and the sentence to show."""

    import_file: ImportFile | None
    text: str

    @property
    def is_error(self) -> bool:
        return self.import_file is None or self.import_file.status == ImportFile.Status.FAILED


def store_uploads(
    *, files: Iterable[UploadedFile], user_id: int | None, competition_id: int | None = None
) -> list[UploadNote]:
    """Store and check every file; a refused or unreadable file does not stop the others."""
    notes = []
    for uploaded in files:
        try:
            import_file = store_upload(uploaded=uploaded, user_id=user_id, competition_id=competition_id)
        except UploadRejected as rejected:
            notes.append(UploadNote(import_file=None, text=rejected.message))
            continue
        notes.append(UploadNote(import_file=import_file, text=_note_text(import_file)))
    return notes


def _note_text(import_file: ImportFile) -> str:
    if import_file.status == ImportFile.Status.FAILED:
        return _("“{name}” içe aktarılamaz: {error}").format(
            name=import_file.original_name, error=import_file.error_message
        )
    return _("“{name}” yüklendi: {valid} geçerli, {rejected} hatalı satır. Önizlemeyi kontrol edip onaylayın.").format(
        name=import_file.original_name, valid=import_file.valid_rows, rejected=import_file.rejected_count
    )
