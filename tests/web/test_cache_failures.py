"""A cache error is a miss: a full or dead cache never answers 500, and no visitor can fill it.

The full cache is a real redis-server started by the test with a tiny maxmemory and
`noeviction`, the policy under which a full Redis refuses every write: the state a cache that
shared the broker's Redis reached on a copy of the appliance.
"""

import logging
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import redis
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from app.football.models import Match
from app.imports.models import ImportFile
from app.imports.services.importing import store_upload
from app.redis_cache import ErrorLog
from app.web.selectors import Cursor
from tests.factories import make_match, make_season, make_team
from tests.imports.conftest import good_rows, upload_file, workbook_bytes

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:18698/0"  # nothing listens there


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def small_redis() -> Iterator[redis.Redis]:
    """A redis-server of its own: 2 MB, `noeviction`, no persistence; stopped after the test."""
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--maxmemory", "2mb", "--maxmemory-policy", "noeviction"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(port=port)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.05)
        yield client
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def cache_on(settings):
    def use(location: str) -> None:
        settings.CACHES = settings.CACHES | {"default": settings.CACHES["default"] | {"LOCATION": location}}

    return use


@pytest.fixture
def results() -> list[Match]:
    """Sixty matches: a results page of fifty rows, so that each stored page weighs something."""
    season = make_season()
    teams = [make_team() for _ in range(6)]
    return [
        make_match(season, teams[i % 6], teams[(i + 1) % 6], date=date(2023, 8, 1) + timedelta(days=i))
        for i in range(60)
    ]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def public_urls(matches: list[Match]) -> list[str]:
    match = matches[0]
    return [
        reverse("web:home"),
        reverse("web:matches"),
        reverse("web:league_table", args=[match.season.competition.slug, match.season.name]),
        reverse("web:team", args=[match.home_team.slug]),
        reverse("web:match", args=[match.external_id]),
    ]


def is_full(server: redis.Redis) -> bool:
    """Whether Redis refuses a write of the size of a stored page."""
    try:
        server.set("probe", "x" * 10_000)
    except redis.exceptions.OutOfMemoryError:
        return True
    server.delete("probe")
    return False


def page_keys() -> set[bytes]:
    client = cache._cache.get_client(write=True)
    return set(client.scan_iter(match=f"{cache.key_prefix}:{cache.version}:web:page:*"))


def start_an_import(importer, django_capture_on_commit_callbacks) -> ImportFile:
    """The confirm button of the import page, as a signed-in importer presses it."""
    import_file = store_upload(uploaded=upload_file("ornek.xlsx", workbook_bytes(good_rows())), user_id=importer.id)
    browser = Client()
    browser.force_login(importer)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("imports:start", args=[import_file.pk]), {"confirm": "1"})
    assert response.status_code == 302
    import_file.refresh_from_db()
    return import_file


def test_a_full_cache_is_a_miss_pages_answer_and_an_import_is_queued(
    client, admin_client, importer, small_redis, cache_on, results, media_root,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    cache_on(f"redis://127.0.0.1:{small_redis.connection_pool.connection_kwargs['port']}/0")
    url = reverse("web:matches")
    # Distinct URLs that the results page reads in full: one stored page each, until Redis is full.
    day = date(2000, 1, 1)
    for n in range(3000):
        response = client.get(f"{url}?baslangic={day + timedelta(days=n)}")
        assert response.status_code == 200
        if is_full(small_redis):
            break
    assert is_full(small_redis)

    for page_url in [*public_urls(results), f"{url}?baslangic=1999-01-01"]:
        assert client.get(page_url).status_code == 200, page_url
    assert admin_client.get(reverse("admin:index")).status_code == 200

    import_file = start_an_import(importer, django_capture_on_commit_callbacks)
    assert import_file.status == ImportFile.Status.RUNNING and import_file.task_id  # on the broker's queue


def test_a_dead_cache_is_a_miss_and_does_not_slow_pages_down(client, admin_client, cache_on, results, caplog):
    cache_on(CLOSED_PORT)
    urls = public_urls(results)

    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="app.redis_cache"):
        for url in urls * 2:
            assert client.get(url).status_code == 200, url
    assert time.monotonic() - started < 10
    assert admin_client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("health:health")).json()["checks"]["cache"] == "error"  # the check still sees it


def test_a_cache_error_is_logged_once_per_interval():
    log = ErrorLog(interval=60)
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("app.redis_cache")
    logger.addHandler(handler)
    try:
        for _ in range(100):
            log.error("get", redis.ConnectionError("refused"))
        assert len(records) == 1
        log._logged_at -= 61  # a minute later
        log.error("set", redis.ConnectionError("refused"))
    finally:
        logger.removeHandler(handler)

    assert len(records) == 2 and "(99 more since the last" in records[1].getMessage()


def test_unknown_parameters_are_redirected_to_the_page_and_create_no_entry(client, results):
    urls = public_urls(results)
    for url in urls:
        assert client.get(url).status_code == 200
    stored = page_keys()

    for url in urls:
        response = client.get(f"{url}?r={uuid.uuid4().hex}")
        assert (response.status_code, response["Location"]) == (302, url)
    filtered = f"{reverse('web:matches')}?takim={results[0].home_team.slug}"
    response = client.get(f"{filtered}&utm_source=x&takim=yok&takim={results[0].home_team.slug}")
    assert (response.status_code, response["Location"]) == (302, filtered)
    assert client.get(filtered).status_code == 200
    assert client.get(filtered.replace("takim=", "t%61kim=")).status_code == 200  # another spelling, same page

    assert len(page_keys() - stored) == 1  # the filtered page, once


def test_invalid_values_are_shown_but_not_stored(client, results):
    matches_url, team_url = reverse("web:matches"), reverse("web:team", args=[results[0].home_team.slug])
    stored = page_keys()

    for n in range(3):
        junk = uuid.uuid4().hex
        assert client.get(f"{matches_url}?takim={junk}").status_code == 400
        assert client.get(f"{matches_url}?once={junk}").status_code == 200  # the first page
        assert client.get(f"{matches_url}?once=2023-09-01.{10**9 + n}").status_code == 200  # a position, no match
        response = client.get(f"{team_url}?rakip={junk}")
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]

    assert page_keys() == stored
    real = f"{matches_url}?once={Cursor.of(results[30])}"  # a link the page itself makes
    assert client.get(real).status_code == 200
    assert len(page_keys() - stored) == 1
