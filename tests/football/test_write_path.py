"""The one write path: partial updates (absent fields keep their stored value) and the change list it reports."""

from datetime import date

import pytest

from app.football.models import Match
from app.football.services.matches import COMPARED_FIELDS, MatchRecord, match_changes, upsert_matches
from tests.factories import make_match, make_season, make_team

pytestmark = pytest.mark.django_db


def _record(match: Match, **changes) -> MatchRecord:
    """The stored match as a record, with some fields changed."""
    values = {name: getattr(match, name) for name in COMPARED_FIELDS}
    return MatchRecord(external_id=match.external_id, **{**values, **changes})


@pytest.fixture
def stored() -> Match:
    season = make_season(start_year=2023)
    match = make_match(
        season, make_team("Samsunspor"), make_team("Sivasspor"), external_id="yazma-1", date=date(2023, 9, 1)
    )
    Match.objects.filter(pk=match.pk).update(home_score=3, away_score=2, venue="19 Mayıs", city="Samsun")
    match.refresh_from_db()
    return match


def test_kept_fields_keep_their_stored_values_and_others_are_written(stored):
    record = _record(stored, home_score=None, away_score=None, venue="", date=date(2023, 9, 2))
    changes: list = []
    counts = upsert_matches([record], keep_fields=["home_score", "away_score", "status", "venue", "city"],
                            on_changes=changes.extend)  # fmt: skip

    stored.refresh_from_db()
    assert (stored.home_score, stored.away_score, stored.venue, stored.city) == (3, 2, "19 Mayıs", "Samsun")
    assert stored.date == date(2023, 9, 2)
    assert counts.as_dict() == {"created": 0, "updated": 1, "unchanged": 0}
    assert len(changes) == 1 and changes[0].match_id == stored.pk
    assert changes[0].old == {"date": date(2023, 9, 1)} and changes[0].new == {"date": date(2023, 9, 2)}


def test_changes_list_old_and_new_values_and_a_dry_run_writes_nothing(stored):
    before = Match.objects.values().get(pk=stored.pk)
    record = _record(stored, home_score=None, away_score=None)
    other = MatchRecord(
        external_id="yazma-2", season_id=stored.season_id, date=date(2023, 10, 1), home_team_id=stored.away_team_id,
        away_team_id=stored.home_team_id, home_score=None, away_score=None, status=Match.Status.SCHEDULED,
    )  # fmt: skip
    items = list(match_changes([record, other], keep_fields=["venue", "city"]))
    changes = [item for item in items if not isinstance(item, int)]

    assert Match.objects.values().get(pk=stored.pk) == before and Match.objects.count() == 1
    erased = next(change for change in changes if change.external_id == "yazma-1")
    assert erased.old == {"home_score": 3, "away_score": 2} and erased.new == {"home_score": None, "away_score": None}
    created = next(change for change in changes if change.external_id == "yazma-2")
    assert created.created and created.new["date"] == date(2023, 10, 1)


def test_an_unchanged_record_is_no_change_and_no_write(stored):
    changes: list = []
    counts = upsert_matches([_record(stored)], on_changes=changes.extend)
    assert counts.as_dict() == {"created": 0, "updated": 0, "unchanged": 1} and changes == []
