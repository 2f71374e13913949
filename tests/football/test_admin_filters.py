"""The match list's drop-down filters link exactly where Django's own filters would."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from app.football.models import Match
from tests.factories import make_match, make_team


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"status__exact": "finished", "q": "Beşiktaş & co", "o": "-1"},
        {"team": "1", "donem": "2020", "season__id__exact": "1", "p": "2"},
    ],
)
def test_every_option_gets_the_query_string_django_builds(admin_user, query):
    home, away = make_team("Beşiktaş"), make_team("Fenerbahçe & Co / Ä")
    make_match(home=home, away=away)
    make_match(home=away, away=home)  # a second season: a filter with one choice is not shown
    request = RequestFactory().get("/admin/football/match/", query)
    request.user = admin_user
    model_admin = admin.site._registry[Match]
    changelist = model_admin.get_changelist_instance(request)

    checked = 0
    for list_filter in changelist.filter_specs:
        if not hasattr(list_filter, "template") or "dropdown" not in list_filter.template:
            continue
        ours = list(list_filter.choices(changelist))
        djangos = list(super(type(list_filter).__mro__[1], list_filter).choices(changelist))
        assert ours == djangos and len(ours) > 1
        checked += 1
    assert checked == 3  # season, team and date
