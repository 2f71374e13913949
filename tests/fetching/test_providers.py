"""`FOOTBALL_PROVIDER` picks the provider module; each run remembers the provider it was created with."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from app.fetching.providers import provider_module
from app.fetching.providers.football_data import FootballDataClient
from app.fetching.services import runs


def test_the_default_provider_is_football_data_v4(settings):
    assert settings.FOOTBALL_PROVIDER == "football-data"
    assert isinstance(provider_module("football-data").build(), FootballDataClient)


@pytest.mark.parametrize("name", ["nope", "base", "../settings", "Football-Data"])
def test_an_unknown_provider_is_a_configuration_error_naming_the_setting(name):
    with pytest.raises(ImproperlyConfigured, match="FOOTBALL_PROVIDER"):
        provider_module(name)


@pytest.mark.django_db
def test_a_run_records_the_configured_provider_and_its_chunks_ask_that_one(settings):
    settings.FOOTBALL_PROVIDER = "no-such-provider"
    run = runs.create_run(provider_ids=[1, 2])
    assert run.provider == "no-such-provider"
    run.status = run.Status.RUNNING
    run.save(update_fields=["status"])

    with pytest.raises(ImproperlyConfigured, match="no-such-provider"):
        runs.process_chunk(run_id=run.id, chunk=0)
