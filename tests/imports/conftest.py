import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from app.football.models import Match
from tests.factories import make_match, make_season, make_team

SEED_HEADERS = ["match_id", "home_team", "away_team", "home_score", "away_score", "match_date"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path, monkeypatch):
    # Autouse runs before live_worker, so a worker process started by a test inherits it too.
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))
    return settings.MEDIA_ROOT


def workbook_bytes(rows: list[list], headers: list[str] | None = SEED_HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if headers:
        sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def good_rows() -> list[list]:
    return [
        ["t-1", "Galatasaray", "Fenerbahçe", 2, 1, date(2023, 9, 1)],
        ["t-2", "Besiktas", "Trabzonspor", 0, 0, date(2023, 9, 2)],
        ["t-3", "Göztepe", "Sivasspor", 3, 2, date(2024, 2, 3)],
    ]


def upload_file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def stored_match(db) -> Match:
    season = make_season(start_year=2022)
    return make_match(season, make_team("Kayserispor"), make_team("Konyaspor"), external_id="var-olan")


def snapshot() -> list[tuple]:
    """Everything stored about matches, to prove a bad file changed nothing."""
    return list(Match.objects.order_by("id").values_list(
        "id", "external_id", "season_id", "date", "home_team_id", "away_team_id", "home_score", "away_score",
        "status", "tournament", "updated_at",
    ))  # fmt: skip


@pytest.fixture
def importer_client(client, importer):
    client.force_login(importer)
    return client
