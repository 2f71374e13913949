"""Fetch runs: one operator request to fetch many matches, tracked id by id so nothing is lost."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from app.fetching.providers import base as provider_errors


class FailureReason(models.TextChoices):
    NOT_FOUND = provider_errors.NOT_FOUND, _("Maç bulunamadı (404)")
    INVALID_PAYLOAD = provider_errors.INVALID_PAYLOAD, _("Sağlayıcı geçersiz veri gönderdi")
    CLIENT_ERROR = provider_errors.CLIENT_ERROR, _("Sağlayıcı isteği reddetti (4xx)")
    TIMEOUT = provider_errors.TIMEOUT, _("Zaman aşımı")
    CONNECTION = provider_errors.CONNECTION, _("Bağlantı hatası")
    SERVER_ERROR = provider_errors.SERVER_ERROR, _("Sağlayıcı hatası (5xx)")
    RATE_LIMITED = provider_errors.RATE_LIMITED, _("İstek kotası aşıldı (429)")


class FetchRun(models.Model):
    class Kind(models.TextChoices):
        IDS = "ids", _("Maç kimlikleri")
        RANGE = "range", _("Organizasyon ve tarih aralığı")

    class Status(models.TextChoices):
        PENDING = "pending", _("Bekliyor")
        LISTING = "listing", _("Maç listesi alınıyor")
        RUNNING = "running", _("Çalışıyor")
        FINISHED = "finished", _("Tamamlandı")
        FAILED = "failed", _("Hatalı")
        CANCELLED = "cancelled", _("Durduruldu")

    class Trigger(models.TextChoices):
        ADMIN = "admin", _("Yönetim paneli")
        WEB = "web", _("Web sayfası")
        COMMAND = "command", _("Komut satırı")
        SCHEDULE = "schedule", _("Zamanlanmış görev")

    ACTIVE_STATUSES = (Status.PENDING, Status.LISTING, Status.RUNNING)

    provider = models.CharField(_("sağlayıcı"), max_length=40, default="football-data")
    kind = models.CharField(_("tür"), max_length=10, choices=Kind.choices, default=Kind.IDS)
    trigger = models.CharField(_("başlatan yer"), max_length=10, choices=Trigger.choices, default=Trigger.ADMIN)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("başlatan"),
    )
    competition_code = models.CharField(_("organizasyon kodu"), max_length=16, blank=True)
    date_from = models.DateField(_("başlangıç tarihi"), null=True, blank=True)
    date_to = models.DateField(_("bitiş tarihi"), null=True, blank=True)
    season = models.PositiveSmallIntegerField(_("sezon"), null=True, blank=True)
    status = models.CharField(_("durum"), max_length=12, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(_("hata"), blank=True)
    # Counts move by each chunk's own items, in the transaction that writes them, and only for items
    # that delivery changed: exact after a crash or a redelivery; refresh_run recounts from the items.
    total = models.PositiveIntegerField(_("toplam"), default=0)
    done = models.PositiveIntegerField(_("tamamlanan"), default=0)
    failed = models.PositiveIntegerField(_("başarısız"), default=0)
    pending = models.PositiveIntegerField(_("bekleyen"), default=0)
    created_matches = models.PositiveIntegerField(_("yeni maç"), default=0)
    updated_matches = models.PositiveIntegerField(_("güncellenen maç"), default=0)
    unchanged_matches = models.PositiveIntegerField(_("değişmeyen maç"), default=0)
    # Requests of the items a delivery changed; a redelivered chunk whose items were done adds nothing.
    requests = models.PositiveIntegerField(_("istek"), default=0)
    rate_limited = models.PositiveIntegerField(_("429 yanıtı"), default=0)
    task_id = models.CharField(_("görev kimliği"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("oluşturulma"), auto_now_add=True)
    started_at = models.DateTimeField(_("başlama"), null=True, blank=True)
    finished_at = models.DateTimeField(_("bitiş"), null=True, blank=True)
    last_progress_at = models.DateTimeField(_("son ilerleme"), null=True, blank=True)

    class Meta:
        verbose_name = _("veri çekme")
        verbose_name_plural = _("veri çekmeler")
        ordering = ["-created_at"]
        permissions = [("start_fetch_run", _("API'den veri çekme başlatabilir"))]
        indexes = [models.Index(fields=["status", "last_progress_at"], name="fetchrun_status_progress")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def progress_percent(self) -> float:
        if not self.total:
            return 100.0 if self.status == self.Status.FINISHED else 0.0
        return round(100.0 * (self.done + self.failed) / self.total, 1)

    @property
    def elapsed(self) -> timedelta | None:
        if not self.started_at:
            return None
        return (self.finished_at or timezone.now()) - self.started_at

    @property
    def ids_per_minute(self) -> float | None:
        elapsed = self.elapsed
        if not elapsed or elapsed.total_seconds() < 1:
            return None
        return round((self.done + self.failed) * 60 / elapsed.total_seconds(), 1)

    @property
    def eta(self) -> timedelta | None:
        """Time left at the average speed so far; None before there is a speed or after the end."""
        rate = self.ids_per_minute
        if not self.is_active or not rate or not self.pending:
            return None
        return timedelta(seconds=round(self.pending * 60 / rate))

    @property
    def rate_limited_share(self) -> float:
        return round(100.0 * self.rate_limited / self.requests, 2) if self.requests else 0.0


class FetchItem(models.Model):
    """One requested provider id within a run; its state is what makes resume and counts exact."""

    class State(models.TextChoices):
        PENDING = "pending", _("Bekliyor")
        DONE = "done", _("Kaydedildi")
        FAILED = "failed", _("Başarısız")

    class Outcome(models.TextChoices):
        CREATED = "created", _("Yeni")
        UPDATED = "updated", _("Güncellendi")
        UNCHANGED = "unchanged", _("Değişmedi")

    # No index of its own: the unique (run, provider_id) and (run, chunk, state) lead with it.
    run = models.ForeignKey(
        FetchRun, on_delete=models.CASCADE, related_name="items", verbose_name=_("veri çekme"), db_index=False
    )
    provider_id = models.BigIntegerField(_("sağlayıcı kimliği"))
    chunk = models.PositiveIntegerField(_("parça"))
    state = models.CharField(_("durum"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("deneme"), default=0)
    outcome = models.CharField(_("sonuç"), max_length=10, choices=Outcome.choices, blank=True)
    match = models.ForeignKey(
        "football.Match", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("maç")
    )
    last_reason = models.CharField(_("son hata"), max_length=20, choices=FailureReason.choices, blank=True)
    task_id = models.CharField(_("görev kimliği"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("güncellenme"), auto_now=True)

    class Meta:
        verbose_name = _("veri çekme kalemi")
        verbose_name_plural = _("veri çekme kalemleri")
        constraints = [models.UniqueConstraint(fields=["run", "provider_id"], name="fetchitem_unique_id")]
        # One index for a run's items, on purpose: every item changes state once, and each index
        # with `state` in it is written again then. A second one on (run, state) was also what the
        # planner, with statistics older than the run, used for a chunk's read of its items:
        # a scan of every pending item of the run (docs/fetching.md, "Per-chunk database time").
        # Per-run counts by state use this index too: run_id is its leading column.
        indexes = [models.Index(fields=["run", "chunk", "state"], name="fetchitem_run_chunk_state")]

    def __str__(self) -> str:
        return f"{self.provider_id} ({self.get_state_display()})"


class FetchFailure(models.Model):
    run = models.ForeignKey(FetchRun, on_delete=models.CASCADE, related_name="failures", verbose_name=_("veri çekme"))
    provider_id = models.BigIntegerField(_("sağlayıcı kimliği"))
    reason = models.CharField(_("neden"), max_length=20, choices=FailureReason.choices)
    detail = models.CharField(_("ayrıntı"), max_length=255, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP durumu"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("deneme"), default=0)
    permanent = models.BooleanField(
        _("kalıcı"), default=True, help_text=_("Kalıcı hatalar yeniden denenince de aynı sonucu verir.")
    )
    task_id = models.CharField(_("görev kimliği"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("oluşturulma"), auto_now_add=True)

    class Meta:
        verbose_name = _("başarısız çekme")
        verbose_name_plural = _("başarısız çekmeler")
        ordering = ["run", "provider_id"]
        constraints = [models.UniqueConstraint(fields=["run", "provider_id"], name="fetchfailure_unique_id")]

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.get_reason_display()}"
