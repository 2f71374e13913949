"""The one rule for how often logins and password resets may be tried.

Counted in the cache's Redis (app.accounts.services.counters), so every web process sees the
same numbers:

* per account (username, whoever sends it): after `LOGIN_ACCOUNT_DELAY_AFTER` failures each
  further try must wait, twice as long each time; at `LOGIN_ACCOUNT_LOCKOUT_AFTER` the account
  is locked for `LOGIN_ACCOUNT_LOCKOUT_MINUTES`, a `LoginLockout` row the admin shows and can
  lift, and the owner is told by mail. Even the right password is refused while it lasts.
* per address, across usernames: `LOGIN_ADDRESS_FAILURE_LIMIT` failures in
  `LOGIN_ADDRESS_WINDOW_MINUTES`, then that address may not try again until the window ends.
* password reset requests: per e-mail address and per client address, in one window.

The checks run before the password is, so a refusal says nothing about the password.
docs/web.md argues the limits.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from app.accounts.models import LoginLockout
from app.accounts.services import counters

ACCOUNT = "login-account"
ACCOUNT_WAIT = "login-wait"
ADDRESS = "login-address"
RESET_EMAIL = "reset-email"
RESET_ADDRESS = "reset-address"


@dataclass(frozen=True)
class Refusal:
    """Why a try is refused and for how long; rendered in the reader's language when shown."""

    code: str  # "account_locked", "account_wait", "address", "reset"
    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))

    @property
    def message(self) -> str:
        if self.code == "account_locked":
            return ngettext(
                "Çok fazla başarısız giriş denemesi nedeniyle bu hesap kilitlendi: parola doğru olsa bile "
                "%(minutes)d dakika boyunca giriş kabul edilmez. Parolanızı e-postayla sıfırlayabilir ya da "
                "yöneticinize başvurabilirsiniz.",
                "Çok fazla başarısız giriş denemesi nedeniyle bu hesap kilitlendi: parola doğru olsa bile "
                "%(minutes)d dakika boyunca giriş kabul edilmez. Parolanızı e-postayla sıfırlayabilir ya da "
                "yöneticinize başvurabilirsiniz.",
                self.minutes,
            ) % {"minutes": self.minutes}
        if self.code == "account_wait":
            return ngettext(
                "Bu hesap için çok fazla başarısız giriş denemesi; %(seconds)d saniye sonra yeniden deneyin.",
                "Bu hesap için çok fazla başarısız giriş denemesi; %(seconds)d saniye sonra yeniden deneyin.",
                self.seconds,
            ) % {"seconds": self.seconds}
        if self.code == "address":
            return ngettext(
                "Çok fazla başarısız giriş denemesi; %(minutes)d dakika sonra yeniden deneyin.",
                "Çok fazla başarısız giriş denemesi; %(minutes)d dakika sonra yeniden deneyin.",
                self.minutes,
            ) % {"minutes": self.minutes}
        return ngettext(
            "Çok fazla parola sıfırlama isteği; %(minutes)d dakika sonra yeniden deneyin.",
            "Çok fazla parola sıfırlama isteği; %(minutes)d dakika sonra yeniden deneyin.",
            self.minutes,
        ) % {"minutes": self.minutes}


def _lockout_seconds() -> int:
    return settings.LOGIN_ACCOUNT_LOCKOUT_MINUTES * 60


def _users_named(username: str):  # type: ignore[no-untyped-def]
    user_model = get_user_model()
    return user_model._default_manager.filter(**{f"{user_model.USERNAME_FIELD}__iexact": username})


def login_refusal(*, username: str, ip: str) -> Refusal | None:
    """Why a login with this username from this address may not be tried now, or None."""
    lockout = (
        LoginLockout.objects.active()
        .filter(user__in=_users_named(username))
        .order_by("-until")
        .values_list("until", flat=True)
        .first()
    )
    if lockout is not None:
        return Refusal("account_locked", max(1, int((lockout - timezone.now()).total_seconds())))
    account = counters.get(counters.key(ACCOUNT, username))
    # Also for names no account has, so that a refusal does not tell which names exist.
    if account.value >= settings.LOGIN_ACCOUNT_LOCKOUT_AFTER:
        return Refusal("account_locked", account.seconds_left)
    wait = counters.get(counters.key(ACCOUNT_WAIT, username))
    if wait.value:
        return Refusal("account_wait", max(1, wait.seconds_left))
    address = counters.get(counters.key(ADDRESS, ip))
    if address.value >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
        return Refusal("address", address.seconds_left)
    return None


def record_login_failure(*, username: str, ip: str) -> list[int]:
    """Counts a wrong password; returns the ids of the lockouts this failure started (to notify)."""
    counters.incr(counters.key(ADDRESS, ip), window=settings.LOGIN_ADDRESS_WINDOW_MINUTES * 60)
    account_key = counters.key(ACCOUNT, username)
    failures = counters.incr(account_key, window=_lockout_seconds()).value
    if failures == settings.LOGIN_ACCOUNT_LOCKOUT_AFTER:
        # The lockout runs from now; the count ends with it, so the next round starts from zero.
        counters.set_value(account_key, failures, seconds=_lockout_seconds())
        return _lock(username=username, failures=failures)
    if settings.LOGIN_ACCOUNT_DELAY_AFTER <= failures < settings.LOGIN_ACCOUNT_LOCKOUT_AFTER:
        delay = min(
            settings.LOGIN_ACCOUNT_DELAY_SECONDS * 2 ** (failures - settings.LOGIN_ACCOUNT_DELAY_AFTER),
            settings.LOGIN_ACCOUNT_DELAY_MAX_SECONDS,
        )
        if delay > 0:
            counters.set_value(counters.key(ACCOUNT_WAIT, username), 1, seconds=delay)
    return []


def _lock(*, username: str, failures: int) -> list[int]:
    until = timezone.now() + timedelta(seconds=_lockout_seconds())
    started = []
    with transaction.atomic():
        for user in _users_named(username).select_for_update():
            if not LoginLockout.objects.active().filter(user=user).exists():
                started.append(LoginLockout.objects.create(user=user, until=until, failures=failures).pk)
    return started


def record_login_success(*, username: str) -> None:
    """A right password ends the account's count. Not the address's: one account of his own must
    not let a guesser wipe the count of his guesses at others."""
    counters.delete(counters.key(ACCOUNT, username), counters.key(ACCOUNT_WAIT, username))


def lift_lockouts(*, user_ids: list[int], lifted_by_id: int | None) -> int:
    """Ends the users' active lockouts and their failure counts; returns how many were active."""
    lifted = (
        LoginLockout.objects.active()
        .filter(user_id__in=user_ids)
        .update(lifted_at=timezone.now(), lifted_by_id=lifted_by_id)
    )
    user_model = get_user_model()
    for username in user_model._default_manager.filter(pk__in=user_ids).values_list(
        user_model.USERNAME_FIELD, flat=True
    ):
        record_login_success(username=username)
    return lifted


def password_reset_refusal(*, email: str, ip: str) -> Refusal | None:
    """Counts a reset request; refuses it past the limit for this e-mail address or this client.

    Counted whether or not an account has the address, so the answer does not tell.
    """
    window = settings.PASSWORD_RESET_WINDOW_MINUTES * 60
    address = counters.incr(counters.key(RESET_ADDRESS, ip), window=window)
    if address.value > settings.PASSWORD_RESET_ADDRESS_LIMIT:
        return Refusal("reset", address.seconds_left)
    mailbox = counters.incr(counters.key(RESET_EMAIL, email), window=window)
    if mailbox.value > settings.PASSWORD_RESET_EMAIL_LIMIT:
        return Refusal("reset", mailbox.seconds_left)
    return None
