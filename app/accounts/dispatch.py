"""The one place account mails become Celery messages; tasks.py declares the tasks by these names."""

from functools import partial

from celery import current_app
from django.db import transaction

SEND_PASSWORD_RESET = "accounts.send_password_reset"
SEND_LOCKOUT_NOTICE = "accounts.send_lockout_notice"


def send_password_reset(email: str, language: str) -> None:
    current_app.signature(SEND_PASSWORD_RESET, args=(email, language)).apply_async()


def send_lockout_notices(lockout_ids: list[int]) -> None:
    """After the commit: the worker must find the lockout row."""
    for lockout_id in lockout_ids:
        transaction.on_commit(partial(current_app.signature(SEND_LOCKOUT_NOTICE, args=(lockout_id,)).apply_async))
