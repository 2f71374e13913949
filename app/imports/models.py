"""Uploaded Excel/CSV files and the report of their import."""

import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from app.football.models import Competition


def stored_file_name(instance: "ImportFile", filename: str) -> str:
    # Never the client's name as a path: a fresh uuid, with only a known extension kept.
    suffix = PurePath(filename).suffix.lower()
    if suffix not in {".xlsx", ".xlsm", ".csv", ".xls"}:
        suffix = ".bin"
    return f"imports/{uuid.uuid4().hex}{suffix}"


class ImportFile(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("yüklendi")
        VALIDATED = "validated", _("doğrulandı")
        RUNNING = "running", _("içe aktarılıyor")
        DONE = "done", _("tamamlandı")
        FAILED = "failed", _("hatalı")

    file = models.FileField(_("dosya"), upload_to=stored_file_name, max_length=200)
    original_name = models.CharField(_("dosya adı"), max_length=200)
    size = models.PositiveBigIntegerField(_("boyut"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    file_format = models.CharField(_("biçim"), max_length=8, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("yükleyen"),
    )
    uploaded_at = models.DateTimeField(_("yüklenme zamanı"), auto_now_add=True, db_index=True)
    competition = models.ForeignKey(
        Competition, on_delete=models.PROTECT, related_name="+", verbose_name=_("organizasyon")
    )
    status = models.CharField(_("durum"), max_length=16, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("toplam satır"), default=0)
    processed_rows = models.PositiveIntegerField(_("işlenen satır"), default=0)
    created_count = models.PositiveIntegerField(_("eklenen"), default=0)
    updated_count = models.PositiveIntegerField(_("güncellenen"), default=0)
    unchanged_count = models.PositiveIntegerField(_("değişmeyen"), default=0)
    rejected_count = models.PositiveIntegerField(_("reddedilen"), default=0)
    existing_rows = models.PositiveIntegerField(
        _("veritabanında olan"), default=0, help_text=_("Önizlemede, kimliği zaten kayıtlı olan geçerli satırlar")
    )
    row_errors = models.JSONField(_("satır hataları"), default=list, blank=True)
    column_mapping = models.JSONField(_("sütun eşleştirmesi"), default=dict, blank=True)
    preview_rows = models.JSONField(_("önizleme satırları"), default=list, blank=True)
    sheet_name = models.CharField(_("sayfa"), max_length=100, blank=True)
    # Set by a person in the preview (or `--map` on the command line): file header → field name.
    column_choices = models.JSONField(_("seçilen eşleştirmeler"), default=dict, blank=True)
    warnings = models.JSONField(_("uyarılar"), default=list, blank=True)
    # The preview's field-level diff: per row that changes a stored match, field label, old → new.
    changes = models.JSONField(_("değişiklikler"), default=list, blank=True)
    change_counts = models.JSONField(_("değişiklik sayıları"), default=dict, blank=True)
    needs_confirmation = models.BooleanField(
        _("onay gerekli"), default=False, help_text=_("Uyarı var ya da kayıtlı değerler silinecek")
    )
    task_id = models.CharField(_("görev kimliği"), max_length=64, blank=True)
    # The one execution allowed to write this import, renewed while it runs: after a crash (a
    # killed worker, a power cut, a lost message) the lease goes stale and the import is resumed
    # from its last committed batch by whoever claims it next (see services.importing).
    lease = models.CharField(_("çalışan kopya"), max_length=32, blank=True)
    heartbeat_at = models.DateTimeField(_("son yaşam işareti"), null=True, blank=True)
    started_at = models.DateTimeField(_("başlama"), null=True, blank=True)
    finished_at = models.DateTimeField(_("bitiş"), null=True, blank=True)
    error_message = models.TextField(_("hata mesajı"), blank=True)

    class Meta:
        verbose_name = _("Excel yüklemesi")
        verbose_name_plural = _("Excel yüklemeleri")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def valid_rows(self) -> int:
        return max(0, self.total_rows - self.rejected_count)

    @property
    def is_stalled(self) -> bool:
        """Running, but no sign of life for a while: its worker died or its message was lost.
        Beat resumes such imports by itself (`resume_stalled_imports`); staff may start them too."""
        last_sign = self.heartbeat_at or self.started_at
        limit = timedelta(seconds=settings.IMPORT_STALLED_AFTER_SECONDS)
        return self.status == self.Status.RUNNING and last_sign is not None and timezone.now() - last_sign > limit

    @property
    def can_choose_columns(self) -> bool:
        return self.status in {self.Status.VALIDATED, self.Status.FAILED} and not self.started_at

    @property
    def can_start(self) -> bool:
        return self.status in {self.Status.VALIDATED, self.Status.DONE} or self.is_stalled

    @cached_property
    def is_undone(self) -> bool:
        """Its latest import was reverted (the undo's record, app.imports.undo_models)."""
        return self.undos.order_by("-id").values_list("status", flat=True).first() == "done"


class ImportFileChunk(models.Model):
    """One piece of an upload's bytes, in order. The database holds the original, so that a worker
    on another host reads it and the nightly pg_dump keeps it (docs/imports.md, "Stored files");
    pieces of CHUNK_BYTES keep memory bounded whatever IMPORT_MAX_UPLOAD_MB is."""

    CHUNK_BYTES = 1 << 20

    # The unique constraint's index serves the lookups by file; no second one.
    import_file = models.ForeignKey(
        ImportFile, on_delete=models.CASCADE, related_name="+", verbose_name=_("Excel yüklemesi"), db_index=False
    )
    number = models.PositiveIntegerField(_("sıra"))
    data = models.BinaryField(_("içerik"))

    class Meta:
        verbose_name = _("dosya parçası")
        verbose_name_plural = _("dosya parçaları")
        constraints = [
            models.UniqueConstraint(fields=["import_file", "number"], name="imports_chunk_file_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.import_file_id}/{self.number}"


@receiver(post_delete, sender=ImportFile)
def _delete_stored_file(sender: type[ImportFile], instance: ImportFile, **kwargs: object) -> None:
    # The disk copy goes with its record (the database's copy by CASCADE); nothing else refers to it.
    if instance.file:
        instance.file.delete(save=False)


# The undo's models live in their own module; importing them here is how Django finds them.
from app.imports.undo_models import ImportChange, ImportUndo  # noqa: E402, F401
