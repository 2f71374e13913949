"""The admin run page follows a run live: its vanilla JS polls the JSON endpoint."""

import time

import pytest
from django.db import connections
from django.urls import reverse

from app.fetching.models import FetchItem, FetchRun
from app.fetching.services import runs

pytestmark = [pytest.mark.browser]


@pytest.fixture
def page(live_server, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        yield page
        # Stop the polling and let the last request finish before the test database goes away.
        page.goto("about:blank")
        time.sleep(0.5)
        browser.close()
        # ORM calls made while Playwright's loop runs get their own connection (asgiref context): close it.
        connections.close_all()


def test_admin_run_page_updates_its_progress_without_a_reload(page, live_server, transactional_db, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.org", "a-long-password-1")
    run = runs.create_run(provider_ids=range(1, 11))
    FetchRun.objects.filter(pk=run.id).update(status=FetchRun.Status.RUNNING)
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "boss")
    page.fill("#id_password", "a-long-password-1")
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:fetching_fetchrun_change", args=[run.id]))
    assert page.text_content("[data-field=done]").strip() == "0"

    FetchItem.objects.filter(run=run, provider_id__lte=4).update(state=FetchItem.State.DONE)
    runs.refresh_run(run.id)

    page.wait_for_function("document.querySelector('[data-field=done]').textContent.trim() === '4'", timeout=10_000)
    assert page.text_content("[data-field=pending]").strip() == "6"
    assert page.eval_on_selector("progress", "bar => bar.value") == 40
