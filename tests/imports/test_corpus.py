"""The hostile corpus (corpus.py): every file gets its exact Turkish message, and a refused file or
row leaves every stored match, team and season exactly as it was (checksum)."""

import hashlib
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from app.football.models import Match, Season, Team, TeamAlias
from app.football.services.demo_data import SUPER_LIG, ensure_competition
from app.imports.models import ImportFile
from app.imports.services.importing import run_import, store_upload
from tests.factories import make_match, make_team
from tests.imports.corpus import build_corpus

pytestmark = pytest.mark.django_db
CORPUS = build_corpus()


def checksum() -> str:
    """Everything stored about matches, teams and seasons, as one digest."""
    digest = hashlib.sha256()
    for model in (Match, Team, TeamAlias, Season):
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture
def stored(db) -> None:
    super_lig = ensure_competition(SUPER_LIG)
    seasons = {
        year: Season.objects.create(competition=super_lig, start_year=year, name=f"{year}-{(year + 1) % 100:02d}")
        for year in (2023, 2024)
    }
    teams = {name: make_team(name) for name in ("Galatasaray", "Fenerbahçe", "Samsunspor", "Trabzonspor")}
    make_match(seasons[2023], teams["Galatasaray"], teams["Fenerbahçe"], external_id="gs-fb", date=date(2023, 9, 1),
               home_score=3, away_score=2)  # fmt: skip
    make_match(seasons[2024], teams["Samsunspor"], teams["Trabzonspor"], external_id="ss-ts", date=date(2024, 9, 1))


def test_the_corpus_has_at_least_forty_workbooks():
    assert len(CORPUS) >= 40 and len({case.name for case in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("case", CORPUS, ids=[case.name for case in CORPUS])
def test_corpus_file_gets_its_message_and_refusals_change_nothing(case, stored):
    before = checksum()
    import_file = store_upload(uploaded=SimpleUploadedFile(case.name, case.content), user_id=None)

    if case.file_error is not None:
        assert (import_file.status, import_file.error_message) == (ImportFile.Status.FAILED, case.file_error)
        assert checksum() == before
        return
    assert import_file.status == ImportFile.Status.VALIDATED, import_file.error_message
    if case.row_errors is not None:
        assert [(e["row"], e["column"], e["message"]) for e in import_file.row_errors] == case.row_errors
        done = run_import(import_file_id=import_file.pk)
        assert done.status == ImportFile.Status.DONE and done.created_count == done.updated_count == 0
        assert checksum() == before
        return
    messages = [warning["message"] for warning in import_file.warnings]
    for warning in case.warnings:
        assert warning in messages
    if case.warnings:
        assert import_file.needs_confirmation
    done = run_import(import_file_id=import_file.pk)
    assert done.status == ImportFile.Status.DONE and done.rejected_count == 0, done.row_errors
    if case.check:
        case.check(done)
