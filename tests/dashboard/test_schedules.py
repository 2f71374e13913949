"""An operator edits schedules in the admin: the project's own tasks only, with arguments that fit them."""

import json

import pytest
from django.contrib.auth.models import Group
from django.forms import CheckboxInput, MultiWidget
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from app.accounts.groups import OPERATOR


@pytest.fixture
def operator(client, django_user_model):
    user = django_user_model.objects.create_user("operator", password="gizli-Parola-42", is_staff=True)
    user.groups.add(Group.objects.get(name=OPERATOR))
    client.force_login(user)
    return user


@pytest.fixture
def schedule(db) -> PeriodicTask:
    interval = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.DAYS)
    return PeriodicTask.objects.create(name="Günlük çekme (test)", task="fetching.daily_fetch", interval=interval)


def _url(schedule: PeriodicTask) -> str:
    return f"/admin/django_celery_beat/periodictask/{schedule.pk}/change/"


def _form_data(client, schedule: PeriodicTask, **changes: str) -> dict[str, str]:
    """What the change page's form would post as it stands, with `changes` typed in."""
    form = client.get(_url(schedule)).context["adminform"].form
    data: dict[str, str] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, MultiWidget):
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else str(part)
        elif isinstance(field.widget, CheckboxInput):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    return data | changes


def _post(client, schedule: PeriodicTask, **changes: str):
    return client.post(_url(schedule), _form_data(client, schedule, **changes))


def test_the_operator_is_offered_the_projects_tasks_only(client, operator, schedule):
    form = client.get(_url(schedule)).context["adminform"].form
    offered = [name for name, _label in form.fields["regtask"].widget.choices if name]

    assert "fetching.daily_fetch" in offered and "football.recalculate_standings" in offered
    assert not [name for name in offered if name.split(".")[0] not in {"fetching", "football", "imports", "accounts"}]


@pytest.mark.parametrize("field", ["regtask", "task"])
@pytest.mark.parametrize("task", ["celery.backend_cleanup", "celery.chord_unlock", "tests.sleep", "os.system"])
def test_a_task_that_is_not_the_projects_is_refused(client, operator, schedule, field, task):
    response = _post(client, schedule, **{field: task, "regtask" if field == "task" else "task": ""})

    assert response.status_code == 200  # the form again, with the error
    assert "Yalnızca bu projenin görevleri zamanlanabilir" in response.content.decode()
    schedule.refresh_from_db()
    assert schedule.task == "fetching.daily_fetch"


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ("[]", '{"evil": 1}'),
        ("[]", '{"days_back": "3; DROP TABLE"}'),
        ('["TSL", 1, 2, 3]', "{}"),
        ("{}", "{}"),
        ("[]", "[]"),
        ("[]", "{not json"),
    ],
)
def test_arguments_that_do_not_fit_the_task_are_refused(client, operator, schedule, args, kwargs):
    response = _post(client, schedule, args=args, kwargs=kwargs)

    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    schedule.refresh_from_db()
    assert (schedule.args, schedule.kwargs) == ("[]", "{}")


def test_arguments_that_fit_are_saved(client, operator, schedule):
    kwargs = json.dumps({"competition_code": "PL", "days_back": 2})

    response = _post(client, schedule, regtask="fetching.daily_fetch", kwargs=kwargs)

    assert response.status_code == 302, response.context["adminform"].form.errors
    schedule.refresh_from_db()
    assert json.loads(schedule.kwargs) == {"competition_code": "PL", "days_back": 2}


def test_running_a_stored_schedule_of_a_foreign_task_is_refused(client, operator, schedule, monkeypatch):
    sent = []
    monkeypatch.setattr("celery.app.task.Task.apply_async", lambda self, *a, **k: sent.append(self.name))
    PeriodicTask.objects.filter(pk=schedule.pk).update(task="celery.backend_cleanup")

    response = client.post(
        "/admin/django_celery_beat/periodictask/",
        {"action": "run_tasks", "_selected_action": [schedule.pk]},
        follow=True,
    )

    assert "Yalnızca bu projenin görevleri zamanlanabilir" in response.content.decode()
    assert sent == []
