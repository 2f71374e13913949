"""Who may start and follow runs: the web page, the admin pages and the JSON endpoint."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from app.fetching.models import FetchFailure, FetchItem, FetchRun
from app.fetching.services import runs

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(django_user_model):
    user = django_user_model.objects.create_user("operator", password="x")
    # As the Operatör group: start runs and see them.
    user.user_permissions.add(*Permission.objects.filter(codename__in=["start_fetch_run", "view_fetchrun"]))
    return user


@pytest.fixture
def plain_user(django_user_model):
    return django_user_model.objects.create_user("plain", password="x")


@pytest.fixture
def run_with_failure() -> FetchRun:
    run = runs.create_run(provider_ids=[1, 2, 3])
    FetchItem.objects.filter(run=run, provider_id=3).update(state="failed", attempts=1, last_reason="not_found")
    FetchFailure.objects.create(run=run, provider_id=3, reason="not_found", detail="HTTP 404", http_status=404,
                                attempts=1, task_id="abc-123")  # fmt: skip
    return runs.refresh_run(run.id)


def test_start_page_requires_login(client):
    response = client.get(reverse("fetching:start"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_start_page_requires_the_permission(client, plain_user):
    client.force_login(plain_user)

    assert client.get(reverse("fetching:start")).status_code == 403
    assert client.post(reverse("fetching:start"), {"kind": "ids", "ids": "1 2"}).status_code == 403
    assert not FetchRun.objects.exists()


def test_operator_starts_a_run_from_the_web_page(client, operator):
    client.force_login(operator)

    response = client.post(reverse("fetching:start"), {"kind": "ids", "ids": "1000001, 1000002\n1000003"})

    run = FetchRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("fetching:run", args=[run.id])
    assert (run.total, run.trigger, run.started_by) == (3, "web", operator)
    assert run.task_id  # sent to the broker
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert reverse("fetching:run_status", args=[run.id]).encode() in page.content


def test_bad_ids_are_reported_in_turkish_and_nothing_is_created(client, operator):
    client.force_login(operator)

    response = client.post(reverse("fetching:start"), {"kind": "ids", "ids": "12 on-iki"})

    assert response.status_code == 200
    assert "Geçersiz maç kimliği: on-iki" in response.content.decode()
    assert not FetchRun.objects.exists()


def test_range_needs_a_competition_and_dates_or_season(client, operator):
    client.force_login(operator)

    response = client.post(reverse("fetching:start"), {"kind": "range", "competition_code": ""})

    assert "Organizasyon kodunu girin." in response.content.decode()
    assert not FetchRun.objects.exists()


def test_status_endpoint_answers_scripts_with_json_errors(client, plain_user, run_with_failure):
    url = reverse("fetching:run_status", args=[run_with_failure.id])

    assert client.get(url).status_code == 401
    client.force_login(plain_user)
    assert client.get(url).status_code == 403
    assert client.get(url).json()["error"]


def test_status_endpoint_gives_counts_rates_and_failures(client, operator, run_with_failure):
    client.force_login(operator)

    data = client.get(reverse("fetching:run_status", args=[run_with_failure.id])).json()

    assert (data["total"], data["done"], data["failed"], data["pending"]) == (3, 0, 1, 2)
    assert data["failures_by_reason"] == [{"reason": "not_found", "label": "Maç bulunamadı (404)", "count": 1}]
    assert data["progress_percent"] == pytest.approx(33.3)
    assert client.get(reverse("fetching:run_status", args=[999999])).status_code == 404


def test_status_endpoint_speaks_english_when_asked(client, operator, run_with_failure):
    client.force_login(operator)

    data = client.get(reverse("fetching:run_status", args=[run_with_failure.id]), HTTP_ACCEPT_LANGUAGE="en").json()

    assert data["failures_by_reason"][0]["label"] == "Match not found (404)"


def test_admin_run_page_is_the_run_page_with_progress_and_flower_links(admin_client, run_with_failure, settings):
    settings.FLOWER_URL = "http://flower.example/"

    response = admin_client.get(reverse("admin:fetching_fetchrun_change", args=[run_with_failure.id]), follow=True)

    content = response.content.decode()
    assert response.redirect_chain == [(reverse("fetching:run", args=[run_with_failure.id]), 302)]
    assert "<progress" in content and "progress.js" in content
    assert "HTTP 404" in content and "Maç bulunamadı (404)" in content
    assert "http://flower.example/task/abc-123" in content


def test_admin_changelist_offers_the_new_fetch_button(admin_client):
    content = admin_client.get(reverse("admin:fetching_fetchrun_changelist")).content.decode()

    assert reverse("admin:fetching_fetchrun_start") in content
    assert "Yeni veri çekme" in content


def test_admin_start_view_leads_to_the_start_page_and_marks_the_run_as_started_in_the_admin(admin_client, admin_user):
    form = admin_client.get(reverse("admin:fetching_fetchrun_start"), follow=True)
    url, _ = form.redirect_chain[-1]
    assert url.startswith(reverse("fetching:start")) and 'name="ids_file"' in form.content.decode()

    response = admin_client.post(
        url, {"kind": "range", "competition_code": "TSL", "date_from": "2023-08-01", "date_to": "2023-08-31"}
    )

    run = FetchRun.objects.get()
    assert response.status_code == 302
    assert (run.kind, run.competition_code, run.trigger, run.started_by) == ("range", "TSL", "admin", admin_user)
    assert run.task_id


def test_admin_start_view_needs_the_permission(client, django_user_model):
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_fetchrun"))
    client.force_login(staff)

    assert client.get(reverse("admin:fetching_fetchrun_start")).status_code == 403
    changelist = client.get(reverse("admin:fetching_fetchrun_changelist")).content.decode()
    assert reverse("admin:fetching_fetchrun_start") not in changelist


def test_admin_action_retry_failed_puts_failed_items_back(admin_client, run_with_failure):
    response = admin_client.post(
        reverse("admin:fetching_fetchrun_changelist"),
        {"action": "retry_failed", "_selected_action": [run_with_failure.id]},
        follow=True,
    )

    assert response.status_code == 200
    assert "1 maç yeniden kuyruğa alındı." in response.content.decode()
    item = FetchItem.objects.get(run=run_with_failure, provider_id=3)
    assert (item.state, item.attempts) == ("pending", 0)
    run_with_failure.refresh_from_db()
    assert (run_with_failure.status, run_with_failure.pending) == ("running", 3)
