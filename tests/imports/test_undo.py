"""Undo of an import: created matches removed, changed ones restored, new teams and seasons removed when
unused, matches changed since left alone and listed; resumable and idempotent."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from app.football.models import Goal, Match, Season, Team
from app.football.services.matches import COMPARED_FIELDS
from app.imports.models import ImportChange, ImportFile, ImportUndo
from app.imports.services import undo as undo_service
from app.imports.services.importing import run_import, store_upload
from app.imports.services.undo import latest_undo, request_undo, run_undo
from tests.factories import make_match, make_season, make_team
from tests.imports.conftest import upload_file, workbook_bytes

pytestmark = pytest.mark.django_db

MATCH_FIELDS = ("id", "external_id", *COMPARED_FIELDS)


def state() -> tuple[list, list, list]:
    """Every match (all stored fields but the timestamps), team and season."""
    return (
        list(Match.objects.order_by("id").values_list(*MATCH_FIELDS)),
        list(Team.objects.order_by("id").values_list("id", "name", "key", "slug")),
        list(Season.objects.order_by("id").values_list("id", "competition_id", "start_year", "name")),
    )


def imported(rows: list[list], name: str = "dosya.xlsx") -> ImportFile:
    import_file = store_upload(uploaded=upload_file(name, workbook_bytes(rows)), user_id=None)
    assert import_file.status == ImportFile.Status.VALIDATED, import_file.error_message
    done = run_import(import_file_id=import_file.pk)
    assert done.status == ImportFile.Status.DONE, done.error_message
    return done


def undone(import_file: ImportFile, user_id: int | None = None) -> ImportUndo:
    undo = request_undo(import_file_id=import_file.pk, user_id=user_id)
    assert undo is not None
    return run_undo(undo_id=undo.pk)


@pytest.fixture
def before():
    """Stored before the import: a Süper Lig season with two matches and their teams."""
    from app.imports.services.importing import default_competition

    season = make_season(default_competition(), start_year=2023)
    kayseri, konya, sivas = make_team("Kayserispor"), make_team("Konyaspor"), make_team("Sivasspor")
    make_match(season, kayseri, konya, external_id="var-1", date=date(2023, 9, 1), home_score=3, away_score=2,
               venue="RHG Enertürk", city="Kayseri")  # fmt: skip
    make_match(season, konya, sivas, external_id="var-2", date=date(2023, 9, 8), home_score=0, away_score=0)
    return state()


ROWS = [
    ["var-1", "Kayserispor", "Konyaspor", 1, 1, date(2023, 9, 1)],  # changes the score
    ["var-2", "Konyaspor", "Sivasspor", 0, 0, date(2023, 9, 8)],  # unchanged
    ["yeni-1", "Kayserispor", "Yeni Takım FK", 2, 0, date(2023, 9, 15)],  # new match, new team
    ["yeni-2", "Başka Yeni SK", "Konyaspor", 1, 4, date(2019, 10, 2)],  # new match, new team, new season
]


def test_undo_restores_the_state_before_the_import(before):
    import_file = imported(ROWS)
    assert (import_file.created_count, import_file.updated_count, import_file.unchanged_count) == (2, 1, 1)
    assert Team.objects.count() == 5 and Season.objects.count() == 2

    undo = undone(import_file)

    assert undo.status == ImportUndo.Status.DONE
    assert (undo.total, undo.processed, undo.deleted, undo.restored, undo.kept) == (3, 3, 2, 1, 0)
    assert (undo.teams_removed, undo.seasons_removed) == (2, 1)
    assert state() == before  # the stored matches' every field, teams, seasons: as before
    assert undo.progress_percent == 100 and undo.finished_at


def test_a_match_changed_after_the_import_is_left_as_it_is_and_listed(before):
    import_file = imported(ROWS)
    Match.objects.filter(external_id="var-1").update(home_score=5)  # an editor corrects the import
    Match.objects.filter(external_id="yeni-1").update(venue="Yeni stat")
    edited = state()[0]
    with_goal = Match.objects.get(external_id="yeni-2")
    Goal.objects.create(match=with_goal, sequence=1, team=with_goal.away_team, scorer="Golcü", minute=10)

    undo = undone(import_file)

    assert (undo.deleted, undo.restored, undo.kept) == (0, 0, 3)
    assert state()[0] == edited  # nothing overwritten
    outcomes = dict(ImportChange.objects.filter(undo=undo, kind=ImportChange.Kind.MATCH)
                    .values_list("external_id", "outcome"))  # fmt: skip
    assert outcomes == {"var-1": "changed", "yeni-1": "changed", "yeni-2": "dependents"}
    # The new teams and the new season are still used by the kept matches.
    assert (undo.teams_removed, undo.seasons_removed) == (0, 0)
    assert Team.objects.filter(name__in=["Yeni Takım FK", "Başka Yeni SK"]).count() == 2


def test_undo_twice_and_an_undo_interrupted_mid_way_are_harmless(before, monkeypatch):
    rows = [
        [f"n-{i}", f"Takım {i % 7}", f"Takım {(i + 1) % 7}", i % 4, 1, date(2023, 10, 1 + i % 28)] for i in range(40)
    ]
    import_file = imported([*ROWS, *rows])
    undo = request_undo(import_file_id=import_file.pk, user_id=None)
    monkeypatch.setattr(undo_service, "BATCH_SIZE", 10)

    def die_after_first_batch(done: int) -> None:
        raise KeyboardInterrupt  # a worker killed between two batches

    with pytest.raises(KeyboardInterrupt):
        run_undo(undo_id=undo.pk, on_progress=die_after_first_batch)
    halfway = ImportUndo.objects.get(pk=undo.pk)
    assert halfway.status == ImportUndo.Status.RUNNING and halfway.processed == 10  # the batch's effect and record

    resumed = run_undo(undo_id=undo.pk)  # the redelivered task
    assert resumed.status == ImportUndo.Status.DONE
    assert (resumed.processed, resumed.deleted, resumed.restored, resumed.kept) == (43, 42, 1, 0)
    assert state() == before

    assert request_undo(import_file_id=import_file.pk, user_id=None) is None  # already undone
    again = run_undo(undo_id=undo.pk)  # a late duplicate of the task
    assert (again.processed, again.deleted) == (43, 42) and state() == before


def test_an_import_run_again_after_its_undo_can_be_undone_again(before):
    import_file = imported(ROWS)
    first = undone(import_file)
    again = run_import(import_file_id=import_file.pk)
    assert again.created_count == 2 and latest_undo(import_file.pk) != first

    second = undone(again)
    assert second.deleted == 2 and state() == before
    assert ImportUndo.objects.filter(import_file=import_file, status=ImportUndo.Status.DONE).count() == 2


def test_teams_and_seasons_that_existed_before_are_never_removed(before):
    import_file = imported([["yeni-9", "Kayserispor", "Sivasspor", 1, 0, date(2023, 12, 1)]])
    Match.objects.filter(external_id__in=["var-1", "var-2"]).delete()  # the old teams now unused

    undo = undone(import_file)

    assert undo.deleted == 1 and (undo.teams_removed, undo.seasons_removed) == (0, 0)
    assert Team.objects.count() == 3 and Season.objects.count() == 1


def test_undo_page_needs_login_and_the_undo_permission(before, importer_client):
    import_file = imported(ROWS)
    url = reverse("imports:undo", args=[import_file.pk])

    assert Client().post(url).status_code == 302  # to the login page
    assert importer_client.post(url).status_code == 403  # may import, may not undo
    assert latest_undo(import_file.pk).status == ImportUndo.Status.AVAILABLE


def test_the_import_page_and_the_admin_show_the_undo_and_what_it_left_alone(before, admin_client):
    import_file = imported(ROWS)
    detail = reverse("imports:detail", args=[import_file.pk])
    admin_detail = reverse("admin:imports_importfile_change", args=[import_file.pk])
    for url in (detail, admin_detail):  # the admin's entry leads to the same page
        page = admin_client.get(url, follow=True).content.decode()
        assert 'id="undo-start"' in page and reverse("imports:undo", args=[import_file.pk]) in page
    assert "Undo the import" in admin_client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    Match.objects.filter(external_id="yeni-1").update(venue="Yeni stat")
    undo = undone(import_file, user_id=User.objects.get(username="admin").pk)

    for url in (detail, admin_detail):
        page = admin_client.get(url, follow=True).content.decode()
        assert 'id="undo-start"' not in page and "geri alındı" in page
        assert f"Geri alındı: {import_file.original_name}" in page  # the heading
        assert "<code>yeni-1</code>" in page and "sonradan değişmiş, dokunulmadı" in page
    status = admin_client.get(reverse("imports:undo_status", args=[import_file.pk])).json()
    assert status["finished"] and status["percent"] == 100 and (status["deleted"], status["kept"]) == (1, 1)
    listing = admin_client.get(reverse("admin:imports_importundo_changelist")).content.decode()
    assert import_file.original_name in listing and "geri alındı" in listing
    assert admin_client.get(reverse("admin:imports_importundo_change", args=[undo.pk])).status_code == 200
