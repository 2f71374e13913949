"""Rows as a stream: files above the old 100,000-row cap import, the cap still refuses with its
message, and reading in chunks gives exactly what one pass over the whole file gave."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from app.football.models import Match
from app.imports.models import ImportFile
from app.imports.services import validation
from app.imports.services.importing import run_import, store_upload
from tests.imports.conftest import SEED_HEADERS, snapshot, workbook_bytes
from tests.imports.corpus import build_corpus
from tests.imports.test_corpus import stored  # noqa: F401 (the corpus's stored matches, a fixture)

pytestmark = pytest.mark.django_db
CORPUS = build_corpus()
ONE_PASS = validation.CHUNK_ROWS  # more rows than any corpus file has
TEAMS = [f"Takım {letter}" for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
PREVIEW_FIELDS = ("status", "error_message", "total_rows", "rejected_count", "row_errors", "column_mapping",
                  "sheet_name", "preview_rows", "existing_rows", "change_counts", "changes", "warnings",
                  "needs_confirmation")  # fmt: skip


def csv_file(rows: int) -> bytes:
    """`rows` distinct matches between 26 teams over one season, in the seed's layout."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(SEED_HEADERS)
    pairs = [(home, away) for home in TEAMS for away in TEAMS if home != away]
    for n in range(rows):
        home, away = pairs[n % len(pairs)]
        writer.writerow([f"akis-{n}", home, away, n % 5, n % 3, (date(2023, 8, 1) + timedelta(days=n % 300))])
    return buffer.getvalue().encode()


def test_the_row_cap_is_raised_to_a_million(settings):
    assert settings.IMPORT_MAX_ROWS == 1_000_000


@pytest.mark.large
def test_a_file_above_the_old_cap_imports_every_row():
    rows = 120_000
    import_file = store_upload(uploaded=SimpleUploadedFile("akis.csv", csv_file(rows)), user_id=None)
    assert import_file.status == ImportFile.Status.VALIDATED, import_file.error_message
    assert import_file.total_rows == rows and import_file.change_counts["new"] == rows

    done = run_import(import_file_id=import_file.pk)

    assert (done.status, done.created_count, done.rejected_count, done.processed_rows) == ("done", rows, 0, rows)
    assert Match.objects.count() == rows
    last = Match.objects.get(external_id=f"akis-{rows - 1}")
    assert (last.home_score, last.away_score) == ((rows - 1) % 5, (rows - 1) % 3)


@pytest.mark.parametrize("name", ["sinir.csv", "sinir.xlsx"])
def test_the_cap_message_appears_above_the_cap_and_not_at_it(name, settings):
    settings.IMPORT_MAX_ROWS = 100
    content = csv_file(101)
    if name.endswith(".xlsx"):
        content = workbook_bytes([line.split(",") for line in content.decode().splitlines()[1:]])
    before = snapshot()

    refused = store_upload(uploaded=SimpleUploadedFile(name, content), user_id=None)

    assert refused.status == ImportFile.Status.FAILED
    assert refused.error_message == (
        "Dosyada çok fazla satır var: en fazla 100 satır içe aktarılabilir. Dosyayı bölüp ayrı ayrı yükleyin."
    )
    assert snapshot() == before
    settings.IMPORT_MAX_ROWS = 101
    accepted = store_upload(uploaded=SimpleUploadedFile(name, content), user_id=None)
    assert accepted.status == ImportFile.Status.VALIDATED and accepted.total_rows == 101


def outcome(case, monkeypatch, chunk_rows: int) -> tuple:
    """The preview and the import of a corpus file read `chunk_rows` rows at a time; rolled back after."""
    monkeypatch.setattr(validation, "CHUNK_ROWS", chunk_rows)
    savepoint = transaction.savepoint()
    import_file = store_upload(
        uploaded=SimpleUploadedFile(case.name, case.content), user_id=None, column_choices=case.choices
    )
    preview = {name: getattr(import_file, name) for name in PREVIEW_FIELDS}
    imported = None
    if import_file.status == ImportFile.Status.VALIDATED:
        done = run_import(import_file_id=import_file.pk)
        counts = (done.status, done.created_count, done.updated_count, done.unchanged_count, done.rejected_count)
        stored_matches = list(
            Match.objects.order_by("external_id").values_list(
                "external_id", "date", "home_team__name", "away_team__name", "home_score", "away_score", "status",
                "tournament", "season__name", "season__competition__slug", "city", "country", "neutral",
            )
        )  # fmt: skip
        imported = (counts, stored_matches)
    transaction.savepoint_rollback(savepoint)
    return preview, imported


@pytest.mark.parametrize("case", CORPUS, ids=[case.name for case in CORPUS])
def test_reading_row_by_row_gives_what_one_pass_gives(case, stored, monkeypatch):  # noqa: F811
    # One row per chunk is the hardest case for what is carried between chunks (converted values,
    # formula and merged cells by row, duplicates across chunks); the default reads these files at once.
    assert outcome(case, monkeypatch, 1) == outcome(case, monkeypatch, ONE_PASS)
