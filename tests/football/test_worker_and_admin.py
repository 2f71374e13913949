import os
import re
import time

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_celery_results.models import TaskResult

from tests.factories import make_match, make_season
from tests.worker_tasks import ping


def wait_for_result(task_id: str, timeout: float = 30) -> TaskResult:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = TaskResult.objects.filter(task_id=task_id, status="SUCCESS").first()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"task {task_id} did not finish in {timeout}s")


@pytest.mark.worker
def test_task_runs_in_a_separately_started_worker_process(live_worker):
    result = ping.delay("merhaba")

    payload = result.get(timeout=30)

    assert payload["value"] == "merhaba"
    assert payload["pid"] != os.getpid()
    assert payload["pid"] != live_worker.pid  # a pool child of the worker, not even its main process
    assert TaskResult.objects.get(task_id=result.id).status == "SUCCESS"


@pytest.mark.worker
def test_admin_action_recalculates_standings_on_the_worker(live_worker, admin_client):
    season = make_season()
    make_match(season)
    make_match(season)

    response = admin_client.post(
        reverse("admin:football_season_changelist"),
        {"action": "recalculate_standings", "_selected_action": [season.id]},
        follow=True,
    )

    message = str(next(iter(response.context["messages"])).message)
    link = re.search(r'href="([^"]+)"', message).group(1)
    task_id = link.rstrip("/").rsplit("/", 1)[-1]
    assert task_id not in re.sub(r"<[^>]+>", "", message)  # the message names no raw UUID
    result = wait_for_result(task_id)
    assert '"matches": 2' in result.result
    page = admin_client.get(link).content.decode()
    assert "Puan durumu hesaplama" in page and "Başarılı" in page
    assert 'data-state="SUCCESS"' in page
    changelist = admin_client.get(reverse("admin:django_celery_results_taskresult_changelist")).content.decode()
    assert link in changelist and "Puan durumu hesaplama" in changelist


@pytest.mark.django_db
def test_match_changelist_costs_a_constant_number_of_queries(admin_client):
    season = make_season()
    make_match(season)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(reverse("admin:football_match_changelist")).status_code == 200
        return len(queries)

    few = count_queries()
    for _ in range(49):
        make_match(season)
    assert count_queries() == few


@pytest.mark.django_db
def test_admin_speaks_turkish_by_default_and_english_on_request(admin_client):
    turkish = admin_client.get(reverse("admin:index")).content.decode()
    english = admin_client.get(reverse("admin:index"), headers={"accept-language": "en"}).content.decode()

    assert "Maç Merkezi yönetimi" in turkish and "Maçlar" in turkish
    assert "Maç Merkezi administration" in english and "Matches" in english


@pytest.mark.django_db
def test_admin_pages_need_login(client):
    response = client.get(reverse("admin:football_match_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not User.objects.exists()
