"""Happy paths: header variants, the shipped data, idempotent re-import, round trip through the export."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from python_calamine import CalamineWorkbook

from app.football.models import Match, Team
from app.football.services.demo_data import INTERNATIONAL_CSV, SUPER_LIG_CSV
from app.imports.models import ImportFile
from app.imports.selectors import mapping_rows
from app.imports.services.export import export_matches, neutralise
from app.imports.services.importing import run_import, store_upload
from tests.factories import make_match, make_season, make_team
from tests.imports.conftest import good_rows, snapshot, upload_file, workbook_bytes

pytestmark = pytest.mark.django_db


def imported(name: str, content: bytes) -> ImportFile:
    import_file = store_upload(uploaded=upload_file(name, content), user_id=None)
    assert import_file.status == ImportFile.Status.VALIDATED, import_file.error_message
    return run_import(import_file_id=import_file.pk)


def test_preview_writes_nothing_and_shows_rows_as_they_will_be_stored():
    import_file = store_upload(uploaded=upload_file("ornek.xlsx", workbook_bytes(good_rows())), user_id=None)

    assert not Match.objects.exists() and not Team.objects.exists()
    assert import_file.total_rows == 3 and import_file.rejected_count == 0
    first = import_file.preview_rows[0]
    assert first["home"] == {"name": "Galatasaray", "new": True}
    assert first["season"] == "2023-24" and first["status"] == "Bitti" and first["tournament"] == "Süper Lig"
    assert ["match_date", "date"] in import_file.column_mapping["columns"]
    assert mapping_rows(import_file)[0] == ("match_id", "Maç ID")


def test_seed_headers_import_and_match_teams_through_aliases():
    besiktas = make_team("Beşiktaş")
    import_file = imported("ornek.xlsx", workbook_bytes(good_rows()))

    assert (import_file.created_count, import_file.updated_count, import_file.rejected_count) == (3, 0, 0)
    match = Match.objects.get(external_id="t-2")
    assert match.home_team == besiktas and match.source == Match.Source.EXCEL
    assert match.season.name == "2023-24" and match.season.competition.slug == "super-lig"
    assert import_file.processed_rows == 3 and import_file.progress_percent == 100


def test_turkish_headers_without_match_id_get_stable_ids():
    headers = ["Tarih", "Ev Sahibi", "Deplasman", "Ev Skoru", "Deplasman Skoru", "Sezon"]
    rows = [[date(2023, 9, 1), "Galatasaray", "Fenerbahçe", 2, 1, "2023-24"]]
    first = imported("turkce.xlsx", workbook_bytes(rows, headers))
    again = imported("turkce-yeniden.xlsx", workbook_bytes(rows, headers))

    assert first.created_count == 1 and again.unchanged_count == 1 and Match.objects.count() == 1
    assert Match.objects.get().external_id.startswith("m-")


def test_reimporting_an_unchanged_file_changes_nothing():
    imported("ornek.xlsx", workbook_bytes(good_rows()))
    before = snapshot()

    again = imported("ornek.xlsx", workbook_bytes(good_rows()))

    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert snapshot() == before


def test_changed_score_updates_the_match_and_keeps_what_the_file_does_not_have():
    season = make_season(start_year=2023)
    kickoff = datetime(2023, 9, 1, 20, 0, tzinfo=ZoneInfo("Europe/Istanbul"))
    make_match(season, make_team("Galatasaray"), make_team("Fenerbahçe"), external_id="t-1", kickoff=kickoff,
               provider_id=4242, venue="RAMS Park")  # fmt: skip
    rows = good_rows()
    rows[0][3] = 5
    result = imported("duzeltme.xlsx", workbook_bytes(rows))

    match = Match.objects.get(external_id="t-1")
    assert result.updated_count == 1 and match.home_score == 5
    assert (match.kickoff, match.provider_id, match.venue) == (kickoff, 4242, "RAMS Park")


def test_shipped_super_lig_csv_imports_with_its_own_headers():
    header, *lines = SUPER_LIG_CSV.read_text(encoding="utf-8").splitlines()[:301]
    result = imported("super_lig.csv", "\n".join([header, *lines]).encode())

    assert result.created_count == 300 and result.rejected_count == 0
    assert Team.objects.filter(name="Fenerbahçe").exists()  # the Turkish display name, via the alias table


def test_shipped_international_csv_imports_into_calendar_seasons(django_db_setup):
    from app.football.models import Competition

    header, *lines = INTERNATIONAL_CSV.read_text(encoding="utf-8").splitlines()[:201]
    international = Competition.objects.create(name="Uluslararası Maçlar", slug="uluslararasi",
                                               kind=Competition.Kind.INTERNATIONAL)  # fmt: skip
    import_file = store_upload(uploaded=upload_file("int.csv", "\n".join([header, *lines]).encode()), user_id=None,
                               competition_id=international.id)  # fmt: skip
    result = run_import(import_file_id=import_file.pk)

    assert result.created_count == 200
    match = Match.objects.get(date=date(1872, 11, 30))
    assert match.season.name == "1872" and match.home_team.is_national and match.city == "Glasgow"


def test_csv_in_windows_1254_with_semicolons_is_read():
    text = "Maç ID;Tarih;Ev Sahibi;Deplasman;Ev Skoru;Deplasman Skoru\nc-1;01.09.2023;Çaykur Rizespor;Göztepe;1;0\n"
    result = imported("turkce.csv", text.encode("cp1254"))

    assert result.created_count == 1
    assert Match.objects.get().home_team.name == "Çaykur Rizespor"


def test_export_then_import_is_a_round_trip_that_changes_nothing():
    imported("ornek.xlsx", workbook_bytes(good_rows()))
    # Team names may not start with = + - @ any more (refused on import); ids and other text may.
    odd = make_team("Eksi Spor")
    season = Match.objects.first().season
    make_match(season, odd, make_team("Kulüp"), external_id="=tuhaf", home_score=None, away_score=None,
               status=Match.Status.SCHEDULED, tournament="-Kupa", matchday=7)  # fmt: skip
    before = snapshot()
    buffer = io.BytesIO()
    assert export_matches(Match.objects.all(), buffer) == 4

    result = imported("disa-aktarim.xlsx", buffer.getvalue())

    assert (result.created_count, result.updated_count, result.unchanged_count, result.rejected_count) == (0, 0, 4, 0)
    assert snapshot() == before


def test_export_neutralises_cells_that_could_be_formulas():
    season = make_season(start_year=2023)
    make_match(season, make_team('=HYPERLINK("x")'), make_team("Normal"), home_score=0, away_score=3)
    buffer = io.BytesIO()
    export_matches(Match.objects.all(), buffer)

    rows = CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue())).get_sheet_by_index(0).to_python()
    assert rows[1][4] == '\'=HYPERLINK("x")'
    assert rows[1][6] == 0 and rows[1][7] == 3  # numbers stay numbers
    assert neutralise(-1) == -1 and neutralise("-1") == "'-1" and neutralise("@x") == "'@x"


def test_reimport_without_score_columns_keeps_stored_scores_and_status():
    season = make_season(start_year=2023)
    for n in (1, 2, 3):
        make_match(season, make_team(f"Eski {n}"), make_team(f"Yeni {n}"), external_id=f"t-{n}",
                   date=date(2023, 9, n), home_score=3, away_score=2)  # fmt: skip
    content = workbook_bytes(
        [[f"t-{n}", f"Eski {n}", f"Yeni {n}", date(2023, 9, n), 9] for n in (1, 2, 3)],
        headers=["match_id", "home_team", "away_team", "match_date", "Gol Sayısı Ev"],
    )
    import_file = imported("skorsuz.xlsx", content)

    assert set(Match.objects.values_list("home_score", "away_score", "status")) == {(3, 2, "FINISHED")}
    assert import_file.created_count == 0
