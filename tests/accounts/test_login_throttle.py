"""Guessing is slow for everyone: per account, per address, and for password resets (login_guard)."""

import re
import statistics
import time
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from redis import Redis

from app.accounts.models import LoginLockout
from app.accounts.services import counters
from app.accounts.services.login_guard import ADDRESS, login_refusal, record_login_failure
from devtools.celery_worker import CeleryWorker, worker_environment
from tests.worker_tasks import WORKER_TASKS

pytestmark = pytest.mark.django_db

PASSWORD = "Dogru-Sifre-2024!"


@pytest.fixture
def no_delays(settings):
    """Lockout tests count failures; the progressive waits between them have a test of their own."""
    settings.LOGIN_ACCOUNT_DELAY_SECONDS = 0
    settings.LOGIN_ACCOUNT_LOCKOUT_AFTER = 5
    return settings


def login(client, username: str, password: str, ip: str, url: str | None = None):
    return client.post(url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def is_logged_in(client) -> bool:
    return client.get(reverse("web:home")).context["user"].is_authenticated


def test_guesses_from_many_addresses_lock_the_account_and_the_right_password_is_refused(
    client, django_user_model, no_delays, queued, django_capture_on_commit_callbacks
):
    django_user_model.objects.create_user("ayse", email="ayse@example.org", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            assert login(client, "ayse", "yanlis", f"203.0.113.{n}").status_code == 200

    response = login(client, "ayse", PASSWORD, "198.51.100.99")

    assert response.status_code == 429
    page = response.content.decode()
    assert "bu hesap kilitlendi: parola doğru olsa bile 30 dakika boyunca giriş kabul edilmez" in page
    assert not is_logged_in(client)
    lockout = LoginLockout.objects.get()
    assert lockout.is_active and lockout.failures == 5
    assert queued.calls == [("send_lockout_notice", (lockout.pk,))]


def test_progressive_delay_refuses_with_a_wait_before_the_lockout(client, django_user_model, settings):
    django_user_model.objects.create_user("ayse", password=PASSWORD)
    for n in range(3):
        login(client, "ayse", "yanlis", f"203.0.113.{n}")

    response = login(client, "ayse", PASSWORD, "203.0.113.50")

    assert response.status_code == 429
    assert "Bu hesap için çok fazla başarısız giriş denemesi; 2 saniye sonra yeniden deneyin." in (
        response.content.decode()
    )
    time.sleep(2.1)
    assert login(client, "ayse", PASSWORD, "203.0.113.50").status_code == 302


def test_one_address_guessing_many_usernames_is_limited(client, django_user_model, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
    django_user_model.objects.create_user("mehmet", password=PASSWORD)
    for n in range(4):
        login(client, f"kullanici{n}", "yanlis", "203.0.113.7")

    refused = login(client, "mehmet", PASSWORD, "203.0.113.7")
    elsewhere = login(client, "mehmet", PASSWORD, "203.0.113.8")

    assert refused.status_code == 429
    assert "Çok fazla başarısız giriş denemesi; 60 dakika sonra yeniden deneyin." in refused.content.decode()
    assert elsewhere.status_code == 302


def test_a_stranger_cannot_reset_the_address_count_with_an_account_of_his_own(django_user_model, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        record_login_failure(username=f"kurban{n}", ip="203.0.113.7")

    assert counters.get(counters.key(ADDRESS, "203.0.113.7")).value == 3
    assert login_refusal(username="kendi", ip="203.0.113.7").code == "address"


def test_admin_lifts_the_lockout_and_the_right_password_then_works(
    client, admin_client, django_user_model, no_delays, queued
):
    user = django_user_model.objects.create_user("ayse", password=PASSWORD)
    for n in range(5):
        login(client, "ayse", "yanlis", f"203.0.113.{n}")
    lockout = LoginLockout.objects.get(user=user)
    assert login(client, "ayse", PASSWORD, "203.0.113.60").status_code == 429

    changelist = reverse("admin:accounts_loginlockout_changelist")
    assert "ayse" in admin_client.get(changelist).content.decode()
    user_page = admin_client.get(reverse("admin:auth_user_change", args=[user.pk])).content.decode()
    assert "Giriş kilitleri" in user_page and 'alt="True"' in user_page
    response = admin_client.post(changelist, {"action": "lift", "_selected_action": [lockout.pk]}, follow=True)

    assert "1 kilit kaldırıldı." in response.content.decode()
    lockout.refresh_from_db()
    assert not lockout.is_active and lockout.lifted_by is not None
    assert login(client, "ayse", PASSWORD, "203.0.113.60").status_code == 302


def test_the_lockout_ends_by_itself(client, django_user_model, no_delays, queued):
    django_user_model.objects.create_user("ayse", password=PASSWORD)
    for n in range(5):
        login(client, "ayse", "yanlis", f"203.0.113.{n}")
    LoginLockout.objects.update(until="2000-01-01T00:00Z")
    counters.delete(counters.key("login-account", "ayse"))

    assert login(client, "ayse", PASSWORD, "203.0.113.60").status_code == 302


def test_admin_login_is_throttled_too(client, django_user_model, no_delays, queued):
    django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    url = reverse("admin:login")
    for n in range(5):
        login(client, "root", "yanlis", f"203.0.113.{n}", url)

    response = login(client, "root", PASSWORD, "203.0.113.60", url)

    assert "parola doğru olsa bile" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_unknown_usernames_are_refused_like_real_ones(client, no_delays):
    for n in range(5):
        login(client, "kimse", "yanlis", f"203.0.113.{n}")

    assert "bu hesap kilitlendi" in login(client, "kimse", "yanlis", "203.0.113.60").content.decode()
    assert not LoginLockout.objects.exists()


def test_the_owner_gets_one_mail_per_lockout(django_user_model, no_delays, queued):
    django_user_model.objects.create_user("ayse", email="ayse@example.org", password=PASSWORD)
    ids = [i for n in range(5) for i in record_login_failure(username="ayse", ip=f"203.0.113.{n}")]

    from app.accounts.tasks import send_lockout_notice

    assert send_lockout_notice.apply(args=(ids[0],)).get() is True
    assert send_lockout_notice.apply(args=(ids[0],)).get() is False  # run twice: still one mail
    assert [m.to for m in mail.outbox] == [["ayse@example.org"]]
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Maç Merkezi: hesabınız geçici olarak kilitlendi"
    assert "http://localhost:8000/hesap/sifre-sifirla/" in body


def test_a_password_reset_by_the_owner_lifts_the_lockout(client, django_user_model, no_delays, queued):
    django_user_model.objects.create_user("ayse", email="ayse@example.org", password=PASSWORD)
    for n in range(5):
        login(client, "ayse", "yanlis", f"203.0.113.{n}")
    client.post(reverse("password_reset"), {"email": "ayse@example.org"})
    queued.run()
    link = re.search(r"https?://[^/\s]+(/hesap/sifre-sifirla/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Yepyeni-Sifre-77", "new_password2": "Yepyeni-Sifre-77"}
    )

    assert not LoginLockout.objects.active().exists()
    assert login(client, "ayse", "Yepyeni-Sifre-77", "203.0.113.60").status_code == 302


def test_password_reset_is_limited_per_email_address(client, settings, queued):
    settings.PASSWORD_RESET_EMAIL_LIMIT = 2
    for n in range(2):
        response = client.post(reverse("password_reset"), {"email": "ayse@example.org"}, REMOTE_ADDR=f"203.0.113.{n}")
        assert response.status_code == 302

    refused = client.post(reverse("password_reset"), {"email": "AYSE@example.org"}, REMOTE_ADDR="203.0.113.9")

    assert refused.status_code == 429
    assert "Çok fazla parola sıfırlama isteği; 60 dakika sonra yeniden deneyin." in refused.content.decode()
    assert len(queued.calls) == 2


def test_password_reset_is_limited_per_client_address(client, settings, queued):
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 3
    for n in range(3):
        client.post(reverse("password_reset"), {"email": f"kisi{n}@example.org"}, REMOTE_ADDR="203.0.113.7")

    refused = client.post(reverse("password_reset"), {"email": "yeni@example.org"}, REMOTE_ADDR="203.0.113.7")
    other = client.post(reverse("password_reset"), {"email": "yeni@example.org"}, REMOTE_ADDR="203.0.113.8")

    assert refused.status_code == 429 and other.status_code == 302
    assert len(queued.calls) == 4


def test_password_reset_takes_the_same_time_for_known_and_unknown_addresses(client, django_user_model, settings):
    # Not `queued`: the request really sends its task to the broker, as in production.
    settings.PASSWORD_RESET_EMAIL_LIMIT = 100
    django_user_model.objects.create_user("ayse", email="ayse@example.org", password=PASSWORD)

    def timed(email: str, n: int) -> float:
        start = time.perf_counter()
        response = client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=f"198.51.100.{n}")
        assert response.status_code == 302
        return time.perf_counter() - start

    timed("kimse@example.org", 0)  # warm-up
    known, unknown = [], []
    for n in range(1, 7):
        known.append(timed(f"{'ayse' if n % 2 else 'AYSE'}@example.org", n))
        unknown.append(timed(f"kimse{n}@example.org", n + 100))

    assert abs(statistics.median(known) - statistics.median(unknown)) < 0.02
    assert not mail.outbox  # nothing is mailed in the request


def test_reset_link_uses_the_configured_host_not_a_forged_host_header(client, django_user_model, settings, queued):
    settings.ALLOWED_HOSTS = ["*"]  # even a lax host check must not let the Host header into a mail
    settings.PUBLIC_BASE_URL = "https://mac.example.org:8443"
    django_user_model.objects.create_user("ayse", email="ayse@example.org", password=PASSWORD)

    client.post(reverse("password_reset"), {"email": "ayse@example.org"}, HTTP_HOST="saldirgan.example")
    queued.run()

    body = mail.outbox[0].body
    assert re.search(r"https://mac\.example\.org:8443/hesap/sifre-sifirla/\S+/", body)
    assert "saldirgan" not in body and "saldirgan" not in mail.outbox[0].alternatives[0][0]


@pytest.fixture
def mail_worker(transactional_db, tmp_path) -> tuple[CeleryWorker, Path]:
    """A real worker whose mail goes to files, so a test can read what the worker sent."""
    outbox = tmp_path / "mail"
    outbox.mkdir()
    worker = CeleryWorker(env=worker_environment(EMAIL_URL=f"file:///{outbox}"), include=WORKER_TASKS)
    worker.start()
    yield worker, outbox
    worker.stop()


def wait_for_mail(outbox: Path, count: int, timeout: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(outbox.iterdir())
        if len(files) >= count:
            time.sleep(0.5)  # no more than `count` may come
            return [path.read_text() for path in sorted(outbox.iterdir())]
        time.sleep(0.2)
    raise AssertionError(f"expected {count} mails in {outbox}, found {len(list(outbox.iterdir()))}")


@pytest.mark.worker
def test_worker_mails_the_owner_once_per_lockout_and_sends_the_reset_mail(
    client, django_user_model, settings, mail_worker
):
    _, outbox = mail_worker
    settings.LOGIN_ACCOUNT_DELAY_SECONDS = 0
    settings.LOGIN_ACCOUNT_LOCKOUT_AFTER = 3
    django_user_model.objects.create_user("ayse", email="ayse@example.org", password=PASSWORD)
    for n in range(5):  # three to lock, two more while locked: still one mail
        login(client, "ayse", "yanlis", f"203.0.113.{n}")

    lockout_mail = wait_for_mail(outbox, 1)
    assert "ayse@example.org" in lockout_mail[0] and "kilitlendi" in lockout_mail[0]
    assert LoginLockout.objects.get().notified_at is not None

    client.post(reverse("password_reset"), {"email": "ayse@example.org"}, REMOTE_ADDR="203.0.113.20")
    client.post(reverse("password_reset"), {"email": "kimse@example.org"}, REMOTE_ADDR="203.0.113.21")
    mails = wait_for_mail(outbox, 2)
    assert len(mails) == 2 and "/hesap/sifre-sifirla/" in "".join(mails)


def test_refusals_are_translated_to_english(client, no_delays):
    for n in range(5):
        login(client, "kimse", "yanlis", f"203.0.113.{n}")

    response = client.post(
        reverse("login"),
        {"username": "kimse", "password": "x"},
        REMOTE_ADDR="203.0.113.9",
        headers={"accept-language": "en"},
    )

    assert "for 30 minutes no login is accepted, even with the right password" in response.content.decode()


def test_with_the_cache_down_each_process_still_counts_and_locks(django_user_model, no_delays, monkeypatch):
    dead = Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.1)
    monkeypatch.setattr(counters, "_redis", lambda: dead)
    monkeypatch.setattr(counters, "local", counters._LocalCounters())
    django_user_model.objects.create_user("ayse", password=PASSWORD)

    started = [i for n in range(5) for i in record_login_failure(username="ayse", ip=f"203.0.113.{n}")]

    assert len(started) == 1 and LoginLockout.objects.active().count() == 1
    assert login_refusal(username="kimse", ip="203.0.113.1") is None
    for _ in range(5):
        record_login_failure(username="kimse", ip="203.0.113.1")
    assert login_refusal(username="kimse", ip="203.0.113.2").code == "account_locked"
