import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from app.accounts.groups import EDITOR, OPERATOR, ensure_groups
from app.accounts.throttling import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "Dogru-Sifre-2024!"


def perms_of(group_name: str) -> set[str]:
    return {
        f"{app}.{code}"
        for app, code in Group.objects.get(name=group_name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_migrate_creates_the_editor_and_operator_groups_with_their_permissions():
    editor, operator = perms_of(EDITOR), perms_of(OPERATOR)

    assert {"football.import_matches", "football.export_matches", "football.add_match", "football.change_match",
            "football.view_match", "football.change_goal", "football.add_team",
            "football.change_season"} <= editor  # fmt: skip
    assert "football.delete_match" not in editor
    assert {"football.view_match", "django_celery_results.view_taskresult", "django_celery_beat.view_periodictask",
            "django_celery_beat.change_periodictask"} <= operator  # fmt: skip
    assert "football.change_match" not in operator


def test_groups_are_reapplied_idempotently_and_keep_permissions_added_by_hand():
    editor = Group.objects.get(name=EDITOR)
    extra = Permission.objects.get(content_type__app_label="football", codename="delete_goal")
    editor.permissions.add(extra)
    before = perms_of(EDITOR)

    missing = ensure_groups()

    assert perms_of(EDITOR) == before
    assert Group.objects.filter(name__in=[EDITOR, OPERATOR]).count() == 2
    # Permissions of apps that do not exist yet are reported, not fatal.
    assert all(isinstance(names, list) for names in missing.values())


def test_editor_can_use_the_match_admin_but_not_delete(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(user)

    assert client.get(reverse("admin:football_match_add")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert user.has_perm("football.import_matches") and not user.has_perm("football.delete_match")


def test_login_page_is_ours_and_turkish(client):
    page = client.get(reverse("login")).content.decode()

    assert "Giriş yap" in page and "Parolanızı mı unuttunuz?" in page
    assert 'href="/static/web/site.css"' in page


def test_login_and_logout_work(client, django_user_model):
    django_user_model.objects.create_user("ayse", password=PASSWORD)

    response = client.post(reverse("login"), {"username": "ayse", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("web:home")).context["user"].is_authenticated

    client.post(reverse("logout"))
    assert not client.get(reverse("web:home")).context["user"].is_authenticated


def test_client_ip_trusts_forwarded_for_only_from_the_local_proxy():
    factory = RequestFactory()
    local = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    remote = factory.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    garbage = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")
    unix_socket = factory.get("/", REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="203.0.113.10")

    assert client_ip(local) == "203.0.113.9"
    assert client_ip(remote) == "198.51.100.7"
    assert client_ip(garbage) == "127.0.0.1"
    assert client_ip(unix_socket) == "203.0.113.10"


def test_password_reset_answers_identically_for_unknown_addresses(client, django_user_model, queued):
    django_user_model.objects.create_user("ayse", email="ayse@example.org", password=PASSWORD)

    known = client.post(reverse("password_reset"), {"email": "ayse@example.org"}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "kimse@example.org"}, follow=True)
    assert queued.names() == ["send_password_reset", "send_password_reset"]
    queued.run()

    assert known.redirect_chain == unknown.redirect_chain == [(reverse("password_reset_done"), 302)]

    def body(response) -> str:  # the CSRF token differs per response; nothing else may
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    assert body(known) == body(unknown)
    assert "E-postanızı kontrol edin" in body(known)
    assert [message.to for message in mail.outbox] == [["ayse@example.org"]]


def test_password_reset_mail_is_turkish_with_text_html_and_a_working_link(client, django_user_model, queued):
    user = django_user_model.objects.create_user("ayse", email="ayse@example.org", password=PASSWORD)

    client.post(reverse("password_reset"), {"email": "AYSE@example.org"})
    queued.run()

    message = mail.outbox[0]
    assert message.subject == "Maç Merkezi: parola sıfırlama"
    assert message.from_email == "Maç Merkezi <info@example.org>"
    assert "Merhaba ayse" in message.body and "Kullanıcı adınız: ayse" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Yeni parola belirle" in html
    link = re.search(r"https?://[^/\s]+(/hesap/sifre-sifirla/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Yeni parola belirleyin" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Yepyeni-Sifre-77", "new_password2": "Yepyeni-Sifre-77"}
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Yepyeni-Sifre-77")
    # The link works once only.
    assert "Bağlantı geçersiz" in client.get(link, follow=True).content.decode()


def test_password_change_needs_login_and_changes_the_password(client, django_user_model):
    user = django_user_model.objects.create_user("ayse", password=PASSWORD)
    url = reverse("password_change")
    assert client.get(url)["Location"].startswith(reverse("login"))

    client.force_login(user)
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": "Yepyeni-Sifre-77", "new_password2": "Yepyeni-Sifre-77"}
    )

    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("Yepyeni-Sifre-77")
    assert "Parola değiştirildi" in client.get(response["Location"]).content.decode()


def test_admin_password_change_keeps_the_admin_layout(admin_client):
    page = admin_client.get(reverse("admin:password_change")).content.decode()

    assert "Maç Merkezi yönetimi" in page and "Parola değiştir" in page
    assert "web/site.css" not in page


def test_password_reset_mail_follows_the_visitors_language(client, django_user_model, queued):
    django_user_model.objects.create_user("john", email="john@example.org", password=PASSWORD)

    client.post(reverse("password_reset"), {"email": "john@example.org"}, headers={"accept-language": "en"})
    queued.run()

    assert mail.outbox[0].subject == "Maç Merkezi: password reset"
    assert "Hello john," in mail.outbox[0].body


def test_logged_in_user_sent_to_login_is_told_why_instead_of_bouncing(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("ayse", password=PASSWORD))

    response = client.get(reverse("login") + "?next=/ice-aktar/")

    assert response.status_code == 200
    assert "Bu sayfayı görme yetkiniz yok" in response.content.decode()
