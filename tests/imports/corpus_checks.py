"""What must be stored after the accepted files of the corpus (see corpus.py and test_corpus.py)."""

from datetime import date, timedelta

from app.football.models import Match
from app.imports.models import ImportFile


def check_ev_skor(import_file: ImportFile) -> None:
    match = Match.objects.get(external_id="gs-1")
    assert (match.home_score, match.away_score, match.status) == (2, 1, Match.Status.FINISHED)


def check_kept_scores(import_file: ImportFile) -> None:
    match = Match.objects.get(external_id="gs-fb")
    assert (match.home_score, match.away_score, match.status) == (3, 2, Match.Status.FINISHED)
    assert import_file.unchanged_count == 1 and import_file.updated_count == 0


def check_encoding(import_file: ImportFile) -> None:
    assert Match.objects.get(external_id="e-1").home_team.name == "Çaykur Rizespor"


def check_serials(import_file: ImportFile) -> None:
    assert Match.objects.get(external_id="t-1").date == date(1899, 12, 30) + timedelta(days=45200)


def check_month_names(import_file: ImportFile) -> None:
    dates = dict(Match.objects.filter(external_id__in=["t-2", "t-3"]).values_list("external_id", "date"))
    assert dates == {"t-2": date(2023, 8, 12), "t-3": date(2023, 9, 3)}


def check_score_pairs(import_file: ImportFile) -> None:
    scores = set(Match.objects.filter(external_id__in=["p-1", "p-2"]).values_list("home_score", "away_score"))
    assert scores == {(2, 1)}


def check_title_row(import_file: ImportFile) -> None:
    assert import_file.sheet_name == "Maçlar" and import_file.created_count == 2


def check_copies(import_file: ImportFile) -> None:
    assert import_file.created_count == 1 and Match.objects.filter(external_id="c-0").count() == 1


def check_fixtures(import_file: ImportFile) -> None:
    assert import_file.created_count == 3
    assert set(Match.objects.filter(external_id__startswith="fx-").values_list("season__name", flat=True)) == {
        "2024-25"
    }
