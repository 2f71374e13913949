"""What an import changed, kept so that it can be undone, and the undo itself.

Imported by models.py (Django finds an app's models there); kept apart so the import's own models
and the undo's evolve without touching each other.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportUndo(models.Model):
    """One undoable generation of an import: the changes it recorded and, once asked for, their undo.

    Created when the import starts writing; a file imported again after a completed undo starts a
    new generation, so every undo stays on record.
    """

    class Status(models.TextChoices):
        AVAILABLE = "available", _("geri alınabilir")
        RUNNING = "running", _("geri alınıyor")
        DONE = "done", _("geri alındı")
        FAILED = "failed", _("geri alma hatalı")

    import_file = models.ForeignKey(
        "imports.ImportFile", on_delete=models.CASCADE, related_name="undos", verbose_name=_("Excel yüklemesi")
    )
    status = models.CharField(_("durum"), max_length=16, choices=Status.choices, default=Status.AVAILABLE)
    # Largest team and season ids before the import wrote anything: a team or season it references
    # with a larger id was created by it (kept from the first run, whatever reruns follow).
    team_watermark = models.BigIntegerField(_("takım eşiği"), default=0)
    season_watermark = models.BigIntegerField(_("sezon eşiği"), default=0)
    recorded_at = models.DateTimeField(_("kayıt zamanı"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geri alan"),
    )
    requested_at = models.DateTimeField(_("istenme zamanı"), null=True, blank=True)
    started_at = models.DateTimeField(_("başlama"), null=True, blank=True)
    finished_at = models.DateTimeField(_("bitiş"), null=True, blank=True)
    task_id = models.CharField(_("görev kimliği"), max_length=64, blank=True)
    total = models.PositiveIntegerField(_("toplam maç"), default=0)
    processed = models.PositiveIntegerField(_("işlenen maç"), default=0)
    deleted = models.PositiveIntegerField(_("silinen maç"), default=0)
    restored = models.PositiveIntegerField(_("eski haline dönen maç"), default=0)
    kept = models.PositiveIntegerField(_("dokunulmayan maç"), default=0)
    teams_removed = models.PositiveIntegerField(_("silinen takım"), default=0)
    seasons_removed = models.PositiveIntegerField(_("silinen sezon"), default=0)
    error_message = models.TextField(_("hata mesajı"), blank=True)

    class Meta:
        verbose_name = _("içe aktarma geri alması")
        verbose_name_plural = _("içe aktarma geri almaları")
        ordering = ["-id"]
        permissions = [("undo_import", _("İçe aktarmayı geri alabilir"))]

    def __str__(self) -> str:
        return f"{self.import_file} ({self.get_status_display()})"

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, self.processed * 100 // self.total) if self.total else 0


class ImportChange(models.Model):
    """One object an import touched: a match it created or changed, a team or season it created.

    A match's row holds the old values of the fields the import changed (JSON; null for a match
    it created) and a fingerprint of the whole match as the import left it, to recognise a match
    that something else changed since.
    """

    class Kind(models.IntegerChoices):
        MATCH = 1, _("maç")
        TEAM = 2, _("takım")
        SEASON = 3, _("sezon")

    class Outcome(models.TextChoices):
        PENDING = "", _("bekliyor")
        DELETED = "deleted", _("silindi")
        RESTORED = "restored", _("eski haline döndü")
        CHANGED = "changed", _("sonradan değişmiş, dokunulmadı")
        MISSING = "missing", _("sonradan silinmiş")
        HAS_DEPENDENTS = "dependents", _("sonradan bağlı kayıt (ör. gol) eklenmiş, dokunulmadı")
        IN_USE = "in_use", _("başka kayıtlarda kullanılıyor, dokunulmadı")

    # No index of its own: the unique (undo, kind, object_id) serves every query. Few indexes keep
    # the import's extra writes cheap.
    # Outcomes of matches an undo left as they were: something else changed them after the import.
    KEPT_OUTCOMES = (Outcome.CHANGED, Outcome.MISSING, Outcome.HAS_DEPENDENTS)

    undo = models.ForeignKey(ImportUndo, on_delete=models.CASCADE, related_name="changes", db_index=False)
    kind = models.PositiveSmallIntegerField(choices=Kind.choices, default=Kind.MATCH)
    object_id = models.BigIntegerField()
    external_id = models.CharField(max_length=64, blank=True)
    old_values = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    post_hash = models.BigIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True, default=Outcome.PENDING)

    class Meta:
        verbose_name = _("içe aktarma değişikliği")
        verbose_name_plural = _("içe aktarma değişiklikleri")
        constraints = [
            models.UniqueConstraint(fields=["undo", "kind", "object_id"], name="import_change_unique_object"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.external_id or self.object_id}"

    @property
    def is_created(self) -> bool:
        return self.old_values is None
