"""/saglik/ against the real services: 200 with a live worker, 503 naming the parts that fail."""

import pytest
from django.urls import reverse

CLOSED_PORT = "redis://127.0.0.1:18699/0"  # nothing listens there


@pytest.fixture(autouse=True)
def _fresh_result():
    from app.health.checks import forget_last_result

    forget_last_result()  # a result shared from the previous test would answer for this one
    yield
    forget_last_result()


@pytest.fixture
def broker_on_a_closed_port(monkeypatch):
    from app.celery import app as celery_app
    from app.health.checks import wait_for_running_checks

    monkeypatch.setattr(celery_app.conf, "broker_url", CLOSED_PORT)
    monkeypatch.setattr(celery_app, "_pool", None)  # pooled connections to the real broker would still answer
    yield
    wait_for_running_checks()  # a check still talking to the closed port would pool its connection
    celery_app.pool.force_close_all()


@pytest.mark.worker
def test_healthy_with_a_live_worker_and_anonymous_callers_see_statuses_only(live_worker, client):
    response = client.get(reverse("health:health"))

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok", "worker": "ok"},
    }
    assert live_worker.name not in response.content.decode()


@pytest.mark.worker
def test_staff_also_see_which_workers_answered(live_worker, admin_client):
    body = admin_client.get(reverse("health:health")).json()

    assert body["status"] == "ok"
    assert live_worker.name in body["details"]["worker"]


@pytest.mark.django_db
def test_no_worker_is_a_503_naming_the_worker(client):
    # This session's broker key prefix is its own: no worker of another session answers here.
    response = client.get(reverse("health:health"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["failing"] == ["worker"]
    assert body["checks"] == {"database": "ok", "cache": "ok", "broker": "ok", "worker": "error"}
    assert "details" not in body


@pytest.mark.django_db
def test_unreachable_broker_and_cache_are_503_with_the_reason_for_staff(
    admin_client, client, broker_on_a_closed_port, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CLOSED_PORT}}

    anonymous = client.get(reverse("health:health"))
    staff = admin_client.get(reverse("health:health")).json()

    assert anonymous.status_code == 503
    assert anonymous.json()["failing"] == ["cache", "broker", "worker"]
    assert "18699" not in anonymous.content.decode()  # no addresses or error texts for strangers
    assert staff["checks"]["database"] == "ok"
    assert "Connection" in staff["details"]["broker"] or "refused" in staff["details"]["broker"].lower()


def test_only_get_is_allowed(client):
    assert client.post(reverse("health:health")).status_code == 405
