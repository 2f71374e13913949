"""Task results in words: a label for every task the project's apps register, in both languages."""

import pytest
from django.urls import reverse
from django.utils import translation
from django_celery_results.models import TaskResult

from app.celery import app as celery_app
from app.dashboard.task_results import TASK_LABELS, task_label


def _project_task_names() -> set[str]:
    """The tasks of the project's apps (`app.*`) in the Celery registry, without Celery's built-ins
    and the tests' own tasks."""
    celery_app.autodiscover_tasks(force=True)  # a worker imports every app's tasks module at start
    return {name for name, task in celery_app.tasks.items() if task.__module__.startswith("app.")}


def test_every_task_of_the_project_has_a_label_and_no_label_is_left_over():
    names = _project_task_names()

    assert len(names) >= 10  # the discovery found the apps' tasks modules
    assert set(TASK_LABELS) == names


@pytest.mark.parametrize("task_name", sorted(TASK_LABELS))
def test_task_label_reads_in_turkish_and_in_english(task_name):
    with translation.override("tr"):
        turkish = task_label(task_name)
    with translation.override("en"):
        english = task_label(task_name)

    assert turkish and turkish != task_name
    assert english and english != turkish


def test_an_unknown_task_is_shown_by_its_name():
    assert task_label("elsewhere.some_task") == "elsewhere.some_task"


@pytest.mark.django_db
def test_task_result_admin_lists_results_by_label_and_links_to_their_summary(admin_client):
    TaskResult.objects.create(task_id="undo-1", task_name="imports.undo_import", status="SUCCESS", result='{"undo": 7}')
    summary_url = reverse("admin:django_celery_results_taskresult_summary", args=["undo-1"])

    changelist = admin_client.get(reverse("admin:django_celery_results_taskresult_changelist")).content.decode()
    summary = admin_client.get(summary_url, headers={"accept-language": "en"}).content.decode()

    assert summary_url in changelist and "Excel içe aktarmayı geri alma" in changelist
    assert "Undoing an Excel import" in summary and "Succeeded" in summary
