"""Both entries to the fetch workflow (the site's pages and the admin) ask for the same permissions.

One test per permission and entry: without `view_fetchrun` nobody sees a run, in the admin, on
the run page or through the JSON endpoint; without `start_fetch_run` nobody starts, stops,
resumes or retries one.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from app.fetching.models import FetchRun
from app.fetching.services import runs

pytestmark = pytest.mark.django_db


def staff(django_user_model, client, *codenames: str):
    user = django_user_model.objects.create_user("u-" + "-".join(codenames or ("none",)), password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return user


@pytest.fixture
def run() -> FetchRun:
    return runs.create_run(provider_ids=[1, 2, 3])


# --- seeing a run: view_fetchrun ---------------------------------------------------------------------
VIEW_ENTRIES = {
    "admin changelist": lambda run: reverse("admin:fetching_fetchrun_changelist"),
    "admin run page": lambda run: reverse("admin:fetching_fetchrun_change", args=[run.id]),
    "run page": lambda run: reverse("fetching:run", args=[run.id]),
    "status json": lambda run: reverse("fetching:run_status", args=[run.id]),
}


@pytest.mark.parametrize("entry", VIEW_ENTRIES)
def test_an_editor_without_the_fetch_permissions_is_refused_everywhere(client, django_user_model, run, entry):
    staff(django_user_model, client, "view_match", "change_match", "import_matches")

    assert client.get(VIEW_ENTRIES[entry](run)).status_code == 403


@pytest.mark.parametrize("entry", VIEW_ENTRIES)
def test_view_fetchrun_opens_every_entry_to_a_run(client, django_user_model, run, entry):
    staff(django_user_model, client, "view_fetchrun")

    response = client.get(VIEW_ENTRIES[entry](run), follow=True)
    assert response.status_code == 200


# --- starting and operating a run: start_fetch_run -------------------------------------------------------
START_ENTRIES = {
    "start page": lambda run: reverse("fetching:start"),
    "admin start": lambda run: reverse("admin:fetching_fetchrun_start"),
}
ACTIONS = ["durdur", "surdur", "yeniden-dene"]


@pytest.mark.parametrize("entry", START_ENTRIES)
def test_starting_needs_start_fetch_run_on_both_entries(client, django_user_model, run, entry):
    staff(django_user_model, client, "view_fetchrun")
    assert client.get(START_ENTRIES[entry](run)).status_code == 403

    client.logout()
    staff(django_user_model, client, "view_fetchrun", "start_fetch_run")
    assert client.get(START_ENTRIES[entry](run), follow=True).status_code == 200


@pytest.mark.parametrize("action", ACTIONS)
def test_run_actions_need_start_fetch_run(client, django_user_model, run, action):
    staff(django_user_model, client, "view_fetchrun")

    assert client.post(reverse("fetching:run_action", args=[run.id, action])).status_code == 403
    run.refresh_from_db()
    assert run.status == FetchRun.Status.PENDING


@pytest.mark.parametrize("action", ["cancel", "resume", "retry_failed"])
def test_admin_actions_need_start_fetch_run(client, django_user_model, run, action):
    staff(django_user_model, client, "view_fetchrun")

    response = client.post(
        reverse("admin:fetching_fetchrun_changelist"), {"action": action, "_selected_action": [run.id]}, follow=True
    )

    run.refresh_from_db()
    assert run.status == FetchRun.Status.PENDING  # the admin does not even offer the action
    assert "Böyle bir eylem yok" in response.content.decode() or response.status_code == 200


# --- what a run offers, by its state ----------------------------------------------------------------------
@pytest.fixture
def operator(client, django_user_model):
    return staff(django_user_model, client, "view_fetchrun", "start_fetch_run")


def test_a_finished_run_offers_no_stop_and_no_resume(client, operator, run):
    FetchRun.objects.filter(pk=run.id).update(status=FetchRun.Status.FINISHED)
    run.items.update(state="done")
    runs.refresh_run(run.id)

    page = client.get(reverse("fetching:run", args=[run.id])).content.decode()

    assert "Durdur" not in page and "Bekleyenleri sürdür" not in page and "yeniden dene" not in page


def test_a_running_run_offers_stop_and_a_cancelled_one_resume(client, operator, run):
    FetchRun.objects.filter(pk=run.id).update(status=FetchRun.Status.RUNNING)
    page = client.get(reverse("fetching:run", args=[run.id])).content.decode()
    assert "Durdur" in page and "Bekleyenleri sürdür" not in page

    response = client.post(reverse("fetching:run_action", args=[run.id, "durdur"]), follow=True)
    assert "durduruldu; bekleyen maçlar sürdürülebilir" in response.content.decode()
    page = response.content.decode()
    assert "Bekleyenleri sürdür" in page and ">Durdur<" not in page


def test_stopping_a_run_that_is_not_running_never_says_0_stopped(client, operator, run):
    FetchRun.objects.filter(pk=run.id).update(status=FetchRun.Status.FINISHED)

    admin_page = client.post(
        reverse("admin:fetching_fetchrun_changelist"), {"action": "cancel", "_selected_action": [run.id]}, follow=True
    ).content.decode()
    page = client.post(reverse("fetching:run_action", args=[run.id, "durdur"]), follow=True).content.decode()

    assert "0 veri çekme durduruldu" not in admin_page
    assert "hiçbiri çalışmıyordu; durdurulacak bir şey yok" in admin_page
    assert "şu an bu işleme uygun değil" in page


def test_run_page_links_every_chunk_task_by_chunk_not_by_uuid(client, operator, settings):
    settings.FLOWER_URL = "http://flower.example/"
    run = runs.create_run(provider_ids=range(1, 7))
    for number, item in enumerate(run.items.order_by("provider_id")):
        run.items.filter(pk=item.pk).update(chunk=number, task_id=f"task-{number}")

    page = client.get(reverse("fetching:run", args=[run.id])).content.decode()

    for number in range(6):
        assert f'href="http://flower.example/task/task-{number}"' in page
        assert f">Parça {number + 1}</a>" in page
