from celery import shared_task

from app.accounts import dispatch
from app.accounts.services import mail

# Bounded retries: an SMTP server that is down for longer than this is an operator's problem.
MAIL_RETRY = {"autoretry_for": (OSError,), "retry_backoff": 30, "max_retries": 5}


@shared_task(name=dispatch.SEND_PASSWORD_RESET, acks_late=True, **MAIL_RETRY)
def send_password_reset(email: str, language: str) -> None:
    mail.send_password_reset(email=email, language=language)


@shared_task(name=dispatch.SEND_LOCKOUT_NOTICE, acks_late=True, **MAIL_RETRY)
def send_lockout_notice(lockout_id: int) -> bool:
    return mail.send_lockout_notice(lockout_id=lockout_id)
