"""The shared write paths: `upsert_matches` (partial updates, counts, aliases, constraints, invalidation) and
`TeamResolver` (spellings, aliases, new teams)."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import IntegrityError

from app.football.models import Match, Team, TeamAlias
from app.football.services.matches import COMPARED_FIELDS, MatchRecord, match_changes, upsert_matches
from app.football.services.standings import get_standings, recalculate_standings, standings_cache_key
from app.football.services.teams import TeamResolver
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


# --- upsert_matches: create / update / unchanged, aliases, constraints, invalidation ------------------


def _new_record(season_id: int, home_id: int, away_id: int, external_id: str, **values) -> MatchRecord:
    base = dict(date=date(2023, 9, 1), home_score=1, away_score=0, status=Match.Status.FINISHED)
    return MatchRecord(external_id=external_id, season_id=season_id, home_team_id=home_id, away_team_id=away_id,
                       **{**base, **values})  # fmt: skip


def test_upsert_creates_then_updates_then_reports_unchanged_with_exact_counts():
    season = make_season(start_year=2023)
    home, away = make_team("Göztepe"), make_team("Kasımpaşa")
    first = upsert_matches(
        [_new_record(season.id, home.id, away.id, "u-1"), _new_record(season.id, away.id, home.id, "u-2")]
    )
    assert first.as_dict() == {"created": 2, "updated": 0, "unchanged": 0}

    again = upsert_matches([_new_record(season.id, home.id, away.id, "u-1", home_score=4),
                            _new_record(season.id, away.id, home.id, "u-2")])  # fmt: skip
    assert again.as_dict() == {"created": 0, "updated": 1, "unchanged": 1}
    assert Match.objects.get(external_id="u-1").home_score == 4 and Match.objects.count() == 2


def test_a_record_resolved_through_an_alias_updates_the_stored_match_instead_of_adding_one():
    season = make_season(start_year=2023)
    upsert_matches([_new_record(season.id, TeamResolver().id_for("Beşiktaş"), TeamResolver().id_for("Trabzonspor"),
                                "u-alias")])  # fmt: skip
    resolver = TeamResolver()
    spelled = _new_record(season.id, resolver.id_for("BESIKTAS JK"), resolver.id_for("trabzonspor"), "u-alias")
    TeamAlias.objects.create(team=Team.objects.get(name="Beşiktaş"), name="Kara Kartallar", key="kara kartallar")
    aliased = _new_record(season.id, TeamResolver().id_for("Kara Kartallar"), spelled.away_team_id, "u-alias")

    counts = upsert_matches([aliased])

    assert counts.as_dict() == {"created": 0, "updated": 0, "unchanged": 1}
    assert Match.objects.get(external_id="u-alias").home_team.name == "Beşiktaş"


def test_a_record_breaking_a_constraint_fails_its_whole_batch_and_writes_nothing():
    season = make_season(start_year=2023)
    home, away = make_team("Rizespor"), make_team("Alanyaspor")
    good = _new_record(season.id, home.id, away.id, "u-good")
    against_itself = _new_record(season.id, home.id, home.id, "u-bad")

    with pytest.raises(IntegrityError):
        upsert_matches([good, against_itself])

    assert not Match.objects.filter(external_id__in=["u-good", "u-bad"]).exists()


def test_upsert_invalidates_the_cached_table_of_every_touched_season_and_only_when_it_writes():
    season, other = make_season(start_year=2023), make_season(start_year=2022)
    home, away = make_team("Konyaspor"), make_team("Hatayspor")
    for s in (season, other):
        recalculate_standings(season_id=s.id)

    upsert_matches([_new_record(season.id, home.id, away.id, "u-cache")])
    assert cache.get(standings_cache_key(season.id)) is None
    assert cache.get(standings_cache_key(other.id)) is not None
    assert get_standings(season.id).rows[0].team_name == "Konyaspor"

    upsert_matches([_new_record(season.id, home.id, away.id, "u-cache")])  # unchanged: the table stays cached
    assert cache.get(standings_cache_key(season.id)) is not None


# --- TeamResolver: Turkish spellings, aliases, new teams ---------------------------------------------


def test_turkish_spellings_and_case_land_on_one_team():
    resolver = TeamResolver()
    ids = {resolver.id_for(name) for name in ("Fenerbahçe", "FENERBAHÇE", "fenerbahce", "Fenerbahce ", "FENERBAHCE")}
    ids |= {TeamResolver().id_for("  fenerbahçe")}
    assert len(ids) == 1 and Team.objects.filter(key="fenerbahce").count() == 1
    assert Team.objects.get(pk=ids.pop()).name == "Fenerbahçe"
    assert TeamResolver().id_for("İstanbulspor") == TeamResolver().id_for("ISTANBULSPOR")


def test_display_names_store_the_official_name_and_the_file_spelling_as_an_alias():
    resolver = TeamResolver(display_names={"Istanbul BB": "İstanbul Başakşehir"})
    team_id = resolver.id_for("Istanbul BB")

    team = Team.objects.get(pk=team_id)
    assert team.name == "İstanbul Başakşehir"
    assert TeamAlias.objects.get(key="istanbul bb").team_id == team_id
    assert TeamResolver().id_for("istanbul bb") == team_id  # a later resolver finds it through the alias


def test_new_teams_get_free_slugs_and_the_resolvers_kind_and_prime_creates_them_in_bulk():
    make_team("Ankara")  # takes the slug "ankara"
    national = TeamResolver(is_national=True)
    national.prime(["Türkiye", "Ankara FK", "Türkiye"])
    assert Team.objects.get(name="Türkiye").is_national
    resolver = TeamResolver()
    resolver.prime(["ANKARA", "Ankaragücü"])
    assert resolver.id_for("ANKARA") == Team.objects.get(name="Ankara").id  # existing team, not a new one
    slugs = set(Team.objects.values_list("slug", flat=True))
    assert {"ankara", "ankaragucu", "turkiye"} <= slugs
    with pytest.raises(ValueError):
        resolver.id_for("  ")
