"""The account mails, sent by Celery tasks (app.accounts.tasks) so that a request never waits
for, or reveals by its timing, a user lookup or an SMTP server.

Links are built from settings.PUBLIC_BASE_URL, never from a request's Host header: a forged
Host would otherwise put an attacker's host into a genuine reset mail.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from app.accounts.models import LoginLockout


def public_url(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def send_password_reset(*, email: str, language: str) -> None:
    """Mails a reset link to every active account with this address (none: nothing happens)."""
    base = urlsplit(settings.PUBLIC_BASE_URL)
    with translation.override(language):
        form = PasswordResetForm({"email": email})
        if not form.is_valid():
            return
        form.save(
            domain_override=base.netloc,
            use_https=base.scheme == "https",
            # Without django.contrib.sites the site name would be the bare host name.
            extra_email_context={"site_name": _("Maç Merkezi")},
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
            html_email_template_name="registration/password_reset_email.html",
        )


def send_lockout_notice(*, lockout_id: int) -> bool:
    """Tells the owner their account was locked: once per lockout, even if the task runs twice."""
    claimed = LoginLockout.objects.filter(Q(pk=lockout_id) & Q(notified_at__isnull=True)).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return False
    lockout = LoginLockout.objects.select_related("user").get(pk=lockout_id)
    user = lockout.user
    if not user.email:
        return False
    try:
        with translation.override(settings.LANGUAGE_CODE):
            until = date_format(timezone.localtime(lockout.until), "DATETIME_FORMAT")
            subject = _("Maç Merkezi: hesabınız geçici olarak kilitlendi")
            body = "\n\n".join(
                [
                    _("Merhaba %(name)s,") % {"name": user.get_username()},
                    _(
                        "Hesabınıza çok sayıda hatalı parolayla giriş denendi (%(failures)d kez). Güvenliğiniz için "
                        "hesap %(until)s saatine kadar kilitlendi; bu sürede doğru parolayla da giriş yapılamaz."
                    )
                    % {"failures": lockout.failures, "until": until},
                    _(
                        "Bu denemeler sizin değilse parolanızı değiştirmenizi öneririz. Parolanızı şu bağlantıdan "
                        "e-postayla sıfırlayabilirsiniz; sıfırlama kilidi de kaldırır:"
                    )
                    + "\n"
                    + public_url(reverse("password_reset")),
                    _("Yöneticiniz de kilidi yönetim panelinden kaldırabilir."),
                    _("Maç Merkezi ekibi"),
                ]
            )
        send_mail(subject, body, None, [user.email])
    except Exception:
        # Not sent: let a retry claim it again.
        LoginLockout.objects.filter(pk=lockout_id).update(notified_at=None)
        raise
    return True
