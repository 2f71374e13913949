"""The management command and the beat schedules that start runs without a browser."""

import pytest
from django.core.management import CommandError, call_command
from django_celery_beat.models import PeriodicTask

from app.fetching.models import FetchRun

pytestmark = pytest.mark.django_db


def test_fetch_matches_command_creates_and_dispatches_a_run(tmp_path, capsys):
    ids_file = tmp_path / "ids.txt"
    ids_file.write_text("1000001\n1000002\n1000002\n", encoding="utf-8")

    call_command("fetch_matches", "--ids-file", str(ids_file))

    run = FetchRun.objects.get()
    assert (run.total, run.trigger, run.kind) == (2, "command", "ids")
    assert run.task_id
    assert f"#{run.id}" in capsys.readouterr().out


def test_fetch_matches_command_rejects_what_is_not_an_id():
    with pytest.raises(CommandError, match="abc"):
        call_command("fetch_matches", "--ids", "1000001,abc")
    assert not FetchRun.objects.exists()


def test_fetch_matches_command_needs_dates_or_season_for_a_competition():
    with pytest.raises(CommandError):
        call_command("fetch_matches", "--competition", "TSL")


def test_beat_schedules_are_created_and_the_daily_fetch_waits_for_a_real_api():
    tasks = {task.task: task for task in PeriodicTask.objects.filter(task__startswith="fetching.")}

    assert tasks["fetching.resume_stalled_runs"].enabled
    assert tasks["fetching.resume_stalled_runs"].interval.every == 1
    assert not tasks["fetching.daily_fetch"].enabled
    assert '"competition_code": "TSL"' in tasks["fetching.daily_fetch"].kwargs
