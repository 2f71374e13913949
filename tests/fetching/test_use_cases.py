"""One service per use case: the range rule lives in the service, so form, command and beat task share it."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from app.fetching.models import FetchRun
from app.fetching.services import runs

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"competition_code": "TSL"}, "Bir tarih aralığı ya da sezon girin."),
        ({"competition_code": " ", "season": 2023}, "Organizasyon kodunu girin."),
        (
            {"competition_code": "TSL", "date_from": date(2023, 9, 1), "date_to": date(2023, 8, 1)},
            "Bitiş tarihi başlangıçtan önce olamaz.",
        ),
    ],
)
def test_start_range_run_refuses_a_range_without_dates_or_season_and_stores_nothing(kwargs, message):
    with pytest.raises(runs.FetchRequestError, match=message):
        runs.start_range_run(trigger=FetchRun.Trigger.SCHEDULE, **kwargs)
    assert not FetchRun.objects.exists()


def test_the_command_reports_the_services_rule_in_english_too():
    with translation.override("en"), pytest.raises(CommandError, match="date range or a season"):
        call_command("fetch_matches", "--competition", "TSL")
    assert not FetchRun.objects.exists()


def test_start_id_run_creates_the_run_and_sends_it_to_the_broker():
    run = runs.start_id_run(provider_ids=[5, 6, 5], started_by_id=None, trigger=FetchRun.Trigger.COMMAND)
    assert (run.total, run.trigger, run.provider) == (2, FetchRun.Trigger.COMMAND, "football-data")
    assert FetchRun.objects.get(pk=run.id).task_id  # the dispatch message's id, recorded for the Flower link
