"""Is this the same match: one rule for Excel, the API fetch and the demo loader, by meaning, not spelling."""

from datetime import date, timedelta

import pytest

from app.fetching.providers.base import ProviderMatch, ProviderTeam
from app.fetching.services.mapping import store_matches
from app.football.competitions import INTERNATIONAL, SUPER_LIG, ensure_competition
from app.football.models import Match, Season, Team, TeamAlias
from app.football.services.demo_data import load_super_lig
from app.football.services.identity import MatchIdentity, find_stored
from app.football.services.standings import compute_standings
from app.imports.models import ImportFile
from app.imports.services.importing import run_import, store_upload
from tests.factories import make_match, make_season, make_team
from tests.imports.conftest import upload_file, workbook_bytes

pytestmark = pytest.mark.django_db

SHEET_HEADERS = ["Tarih", "Ev Sahibi", "Deplasman", "Ev Skoru", "Deplasman Skoru"]


def _super_lig_season(start_year: int) -> Season:
    return make_season(competition=ensure_competition(SUPER_LIG), start_year=start_year)


def _checked(rows: list[list], name: str = "duzeltme.xlsx") -> ImportFile:
    import_file = store_upload(uploaded=upload_file(name, workbook_bytes(rows, SHEET_HEADERS)), user_id=None)
    assert import_file.status == ImportFile.Status.VALIDATED, import_file.error_message
    return import_file


def _games_played(season_id: int) -> dict[str, int]:
    return {row.team_name: row.played for row in compute_standings(season_id).rows}


def test_score_corrections_typed_with_the_displayed_names_update_the_stored_matches():
    """The reported bug: the 2024-25 season typed as the site shows it, no id column, scores changed."""
    load_super_lig()
    season = Season.objects.get(competition__slug="super-lig", start_year=2024)
    matches = list(season.matches.select_related("home_team", "away_team").order_by("date", "id"))
    teams_before, matches_before = Team.objects.count(), Match.objects.count()
    played_before = _games_played(season.id)
    assert {"Başakşehir", "Çaykur Rizespor"} <= {m.home_team.name for m in matches}
    corrected = {}
    rows = []
    for index, match in enumerate(matches):
        home_score = match.home_score
        if match.home_team.name in ("Başakşehir", "Çaykur Rizespor") or index % 50 == 0:
            home_score = match.home_score + 1
            corrected[match.id] = (home_score, match.away_score)
        rows.append([match.date, match.home_team.name, match.away_team.name, home_score, match.away_score])

    import_file = _checked(rows)

    assert import_file.change_counts["new"] == 0
    assert import_file.change_counts["changed"] == len(corrected)
    assert import_file.change_counts["unchanged"] == len(matches) - len(corrected)
    assert not [w for w in import_file.warnings if w["kind"] in ("new_team", "season_over")]
    assert all(change["stored_match"] for change in import_file.changes)
    done = run_import(import_file_id=import_file.pk)
    assert (done.created_count, done.updated_count) == (0, len(corrected))
    assert (Team.objects.count(), Match.objects.count()) == (teams_before, matches_before)
    for match_id, score in corrected.items():
        assert Match.objects.values_list("home_score", "away_score").get(pk=match_id) == score
    assert _games_played(season.id) == played_before  # Galatasaray still 36 games, not 37


@pytest.mark.parametrize(
    "home",
    ["BAŞAKŞEHİR", "basaksehir", "Başakşehir.", "  Başakşehir ", "Buyuksehyr", "Başak-\nşehir"],
    ids=["upper", "ascii", "punctuation", "spaces", "source-spelling", "alt-enter"],
)
def test_a_name_spelt_another_way_is_the_stored_team_and_match(home):
    season = _super_lig_season(2024)
    basaksehir = make_team("Başakşehir")
    TeamAlias.objects.create(team=basaksehir, name="Buyuksehyr")
    make_match(season, basaksehir, make_team("Galatasaray"), date=date(2025, 5, 30), home_score=2, away_score=0,
               external_id="stored-1")  # fmt: skip
    teams = Team.objects.count()

    import_file = _checked([[date(2025, 5, 30), home, "GALATASARAY", 3, 0]])

    assert import_file.change_counts == {**import_file.change_counts, "new": 0, "changed": 1}
    change = import_file.changes[0]
    assert change["stored_match"] and change["fields"] == [["score", "2-0", "3-0"]]
    run_import(import_file_id=import_file.pk)
    assert Team.objects.count() == teams
    assert Match.objects.values_list("external_id", "home_score").get() == ("stored-1", 3)


def test_a_name_typed_across_two_lines_of_a_new_team_is_one_team():
    _super_lig_season(2024)
    import_file = _checked([[date(2024, 9, 1), "Yeni\nKulüp", "Galatasaray", 1, 0],
                            [date(2024, 9, 8), "Galatasaray", "Yeni  Kulüp", 2, 2]])  # fmt: skip

    run_import(import_file_id=import_file.pk)

    assert list(Team.objects.order_by("name").values_list("name", flat=True)) == ["Galatasaray", "Yeni Kulüp"]


def test_a_late_kickoff_dated_the_next_day_is_the_same_match():
    season = _super_lig_season(2024)
    make_match(season, make_team("Göztepe"), make_team("Sivasspor"), date=date(2024, 10, 5), home_score=1,
               away_score=1, external_id="stored-late")  # fmt: skip

    import_file = _checked([[date(2024, 10, 6), "Göztepe", "Sivasspor", 2, 1]])
    run_import(import_file_id=import_file.pk)

    assert Match.objects.values_list("external_id", "date", "home_score").get() == ("stored-late", date(2024, 10, 6), 2)


def test_two_days_apart_is_another_match_and_home_and_away_are_not_swapped(settings):
    settings.MATCH_DATE_TOLERANCE_DAYS = 1
    season = _super_lig_season(2024)
    make_match(season, make_team("Göztepe"), make_team("Sivasspor"), date=date(2024, 10, 5), external_id="first")

    import_file = _checked([[date(2024, 10, 7), "Göztepe", "Sivasspor", 2, 1],
                            [date(2024, 10, 5), "Sivasspor", "Göztepe", 0, 0]])  # fmt: skip
    run_import(import_file_id=import_file.pk)

    assert Match.objects.count() == 3


def test_the_same_new_match_spelt_two_ways_in_one_file_is_refused_as_a_conflict_not_stored_twice():
    make_team("Başakşehir")
    import_file = _checked([[date(2024, 9, 1), "Başakşehir", "Yeni Kulüp", 1, 0],
                            [date(2024, 9, 1), "BASAKSEHIR", "yeni kulüp", 2, 0]])  # fmt: skip

    assert import_file.rejected_count == 2
    run_import(import_file_id=import_file.pk)
    assert not Match.objects.exists()


def test_the_nearest_stored_match_wins_and_each_is_given_once():
    season = _super_lig_season(2024)
    home, away = make_team("A Takımı"), make_team("B Takımı")
    make_match(season, home, away, date=date(2024, 10, 5), external_id="on-the-day")
    make_match(season, home, away, date=date(2024, 10, 6), external_id="next-day")
    day = MatchIdentity(season.competition_id, date(2024, 10, 5), home.id, away.id)
    next_day = MatchIdentity(season.competition_id, date(2024, 10, 6), home.id, away.id)

    assert find_stored([day, next_day]) == {day: "on-the-day", next_day: "next-day"}
    assert find_stored([next_day], taken={"next-day"}) == {next_day: "on-the-day"}
    other_competition = MatchIdentity(season.competition_id + 1000, date(2024, 10, 5), home.id, away.id)
    assert find_stored([other_competition]) == {}


def _provider_match(provider_id: int, home: str, away: str, day: date, score: tuple[int, int]) -> ProviderMatch:
    return ProviderMatch(
        provider_id=provider_id, competition_code="TSL", competition_name="Süper Lig", competition_type="LEAGUE",
        season_start_year=2024, date=day, kickoff=None, status="FINISHED", matchday=None,
        home=ProviderTeam(provider_id + 1, home), away=ProviderTeam(provider_id + 2, away),
        home_score=score[0], away_score=score[1],
    )  # fmt: skip


def test_the_api_fetch_updates_a_match_stored_under_another_spelling():
    season = _super_lig_season(2024)
    match = make_match(season, make_team("Başakşehir"), make_team("Çaykur Rizespor"), date=date(2025, 4, 12),
                       home_score=1, away_score=1, external_id="excel-row")  # fmt: skip

    stored = store_matches([_provider_match(9001, "Buyuksehyr", "Rizespor", date(2025, 4, 12), (2, 1))])

    match.refresh_from_db()
    assert stored[9001].match_id == match.id and Match.objects.count() == 1
    assert (match.provider_id, match.home_score, match.external_id) == (9001, 2, "excel-row")


def test_the_demo_loader_updates_a_match_an_editor_typed_with_the_displayed_names():
    load_super_lig(limit=3)
    first = Match.objects.order_by("date", "id").select_related("home_team", "away_team").first()
    assert first is not None
    Match.objects.all().delete()
    season = Season.objects.get(start_year=1994)
    typed = make_match(season, first.home_team, first.away_team, date=first.date + timedelta(days=1),
                       home_score=9, away_score=9, external_id="typed", source=Match.Source.EXCEL)  # fmt: skip

    load_super_lig(limit=3)

    assert Match.objects.count() == 3
    typed.refresh_from_db()
    assert (typed.date, typed.home_score, typed.away_score) == (first.date, first.home_score, first.away_score)


def test_internationals_typed_with_the_turkish_names_the_site_shows_update_the_stored_match():
    competition = ensure_competition(INTERNATIONAL)
    season = make_season(competition=competition, start_year=2024)
    germany, turkey = make_team("Germany", is_national=True), make_team("Turkey", is_national=True)
    make_match(season, germany, turkey, date=date(2024, 11, 18), home_score=1, away_score=1, external_id="int-1")
    teams = Team.objects.count()
    content = workbook_bytes([[date(2024, 11, 18), "Almanya", "Türkiye", 2, 1]], SHEET_HEADERS)

    import_file = store_upload(uploaded=upload_file("milli.xlsx", content), user_id=None, competition_id=competition.id)
    assert import_file.change_counts["new"] == 0 and import_file.changes[0]["stored_match"]
    run_import(import_file_id=import_file.pk)

    assert Team.objects.count() == teams
    assert Match.objects.values_list("external_id", "home_score", "away_score").get() == ("int-1", 2, 1)
