# The module also exists because Django sends `post_migrate` only for apps with a models module,
# and the groups (see groups.py) are (re)applied on that signal.
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginLockoutQuerySet(models.QuerySet["LoginLockout"]):
    def active(self) -> "LoginLockoutQuerySet":
        return self.filter(lifted_at__isnull=True, until__gt=timezone.now())


class LoginLockout(models.Model):
    """An account closed to logins after too many failed guesses (app.accounts.services.login_guard).

    It ends by itself at `until`, or earlier when an administrator lifts it ("Kilidi kaldır") or
    the owner sets a new password through the e-mailed reset link.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_lockouts", verbose_name=_("kullanıcı")
    )
    locked_at = models.DateTimeField(_("kilitlenme"), default=timezone.now)
    until = models.DateTimeField(_("bitiş"))
    failures = models.PositiveIntegerField(_("başarısız deneme"))
    lifted_at = models.DateTimeField(_("kaldırılma"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kaldıran"),
    )
    notified_at = models.DateTimeField(_("bildirim gönderildi"), null=True, blank=True)

    objects = LoginLockoutQuerySet.as_manager()

    class Meta:
        verbose_name = _("giriş kilidi")
        verbose_name_plural = _("giriş kilitleri")
        ordering = ["-locked_at"]
        indexes = [
            models.Index(fields=["user", "until"], condition=Q(lifted_at__isnull=True), name="accounts_lockout_open")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.locked_at:%Y-%m-%d %H:%M})"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None and self.until > timezone.now()
