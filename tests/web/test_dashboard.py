import os

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse

from app.accounts.groups import OPERATOR
from app.celery import app as celery_app
from app.dashboard.selectors import celery_status
from app.fetching.models import FetchRun
from app.football.competitions import SUPER_LIG, ensure_competition
from app.imports.models import ImportFile
from tests.factories import make_match, make_season
from tests.worker_tasks import ping

NO_WORKER = "Çalışan bir Celery işçisi yok"


@pytest.fixture
def empty_queue():
    celery_app.control.purge()
    yield
    celery_app.control.purge()


@pytest.mark.django_db
def test_dashboard_warns_when_no_worker_answers(admin_client, empty_queue):
    page = admin_client.get(reverse("admin:index")).content.decode()

    assert NO_WORKER in page
    assert f'href="{settings.FLOWER_URL}"' in page
    assert "Maçlar" in page  # Django's own app list is still there


@pytest.mark.django_db
def test_dashboard_counts_waiting_tasks_in_this_sessions_prefixed_queue(admin_client, empty_queue):
    prefix = settings.CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"]
    assert prefix == os.environ["CELERY_KEY_PREFIX"]  # the test session's own broker namespace
    ping.delay("bekle")
    ping.delay("bekle")

    status = celery_status(use_cache=False)

    assert redis.Redis.from_url(settings.CELERY_BROKER_URL).llen(f"{prefix}celery") == 2
    assert status.queues == {"celery": 2} and not status.has_workers
    assert '<td class="num" data-queue="celery">2</td>' in admin_client.get(reverse("admin:index")).content.decode()


@pytest.mark.django_db
def test_dashboard_shows_matches_per_competition_and_season(admin_client, empty_queue):
    season = make_season()
    for _ in range(3):
        make_match(season)

    response = admin_client.get(reverse("admin:index"))

    page = response.content.decode()
    assert season.competition.name in page
    assert f'<td>{season.name}</td><td class="num">3</td>' in page
    assert "Son içe aktarmalar" in page and "Son veri çekme işleri" in page


@pytest.mark.django_db
def test_operator_with_staff_flag_sees_the_dashboard_and_others_do_not(client, django_user_model, empty_queue):
    operator = django_user_model.objects.create_user("operator", password="x-Uzun-Sifre-1", is_staff=True)
    operator.groups.add(Group.objects.get(name=OPERATOR))
    visitor = django_user_model.objects.create_user("visitor", password="x-Uzun-Sifre-1")

    client.force_login(visitor)
    assert client.get(reverse("admin:index")).status_code == 302
    client.force_login(operator)
    page = client.get(reverse("admin:index")).content.decode()

    assert NO_WORKER in page and "Görev sonuçları" in page


@pytest.mark.worker
def test_dashboard_lists_a_running_worker_and_drops_the_warning(live_worker, admin_client, empty_queue):
    page = admin_client.get(reverse("admin:index")).content.decode()

    assert live_worker.name in page
    assert NO_WORKER not in page


@pytest.mark.django_db
def test_dashboard_speaks_english_on_request(admin_client, empty_queue):
    page = admin_client.get(reverse("admin:index"), headers={"accept-language": "en"}).content.decode()

    assert "No Celery worker is running" in page and "Matches by competition and season" in page


@pytest.mark.django_db
def test_dashboard_lists_recent_imports_fetch_runs_and_failures_needing_attention(
    admin_client, admin_user, empty_queue
):
    competition = ensure_competition(SUPER_LIG)
    ok = ImportFile.objects.create(file="imports/a.xlsx", original_name="sezon.xlsx", competition=competition,
                                   uploaded_by=admin_user, status=ImportFile.Status.DONE, created_count=12)  # fmt: skip
    broken = ImportFile.objects.create(file="imports/b.xlsx", original_name="bozuk.xlsx", competition=competition,
                                       status=ImportFile.Status.FAILED, error_message="Dosya okunamadı")  # fmt: skip
    run = FetchRun.objects.create(status=FetchRun.Status.FINISHED, total=10, done=7, failed=3, started_by=admin_user)

    page = admin_client.get(reverse("admin:index")).content.decode()

    assert reverse("admin:imports_importfile_change", args=[ok.pk]) in page and "sezon.xlsx" in page
    assert "Excel: bozuk.xlsx — Dosya okunamadı" in page
    assert reverse("admin:imports_importfile_change", args=[broken.pk]) in page
    assert f"Veri çekme #{run.pk}: 3 kimlik başarısız" in page
    assert reverse("admin:fetching_fetchrun_change", args=[run.pk]) in page
    assert "7 / 3 / 10" in page
