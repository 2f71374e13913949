"""Public pages are cached whole for anonymous visitors, and every write shows at once.

For each page and each way data changes (an import, a fetch, an admin edit), the page is first
served from the page cache, then the data changes, and the very next request must return exactly
what a fresh render (page cache off) returns, with the new score in it.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from app.fetching.providers.base import ProviderGoal, ProviderMatch, ProviderTeam
from app.fetching.services.mapping import store_matches
from app.football.models import Match
from app.football.services.matches import RECORD_FIELDS, MatchRecord, upsert_matches
from app.web.selectors import Cursor

pytestmark = pytest.mark.django_db

GALATASARAY, FENERBAHCE, BESIKTAS = (
    ProviderTeam(1, "Galatasaray"),
    ProviderTeam(2, "Fenerbahçe"),
    ProviderTeam(3, "Beşiktaş"),
)
PAGES = ["home", "league table", "results", "results filtered", "results deep page", "team", "match"]


def fetched(provider_id: int, home: ProviderTeam, away: ProviderTeam, day: date, score: tuple[int, int], goals=()):
    return ProviderMatch(
        provider_id=provider_id, competition_code="TSL", competition_name="Süper Lig", competition_type="LEAGUE",
        season_start_year=2023, date=day, kickoff=None, status="FINISHED", matchday=None, home=home, away=away,
        home_score=score[0], away_score=score[1], goals=tuple(goals), goals_included=True,
    )  # fmt: skip


@pytest.fixture
def derby() -> Match:
    """Three Süper Lig matches stored the way a fetch stores them; returns the derby."""
    store_matches(
        [
            fetched(101, GALATASARAY, FENERBAHCE, date(2023, 9, 1), (3, 1)),
            fetched(102, FENERBAHCE, BESIKTAS, date(2023, 9, 8), (2, 2)),
            fetched(103, BESIKTAS, GALATASARAY, date(2023, 9, 15), (0, 1)),
        ]
    )
    return Match.objects.select_related("season__competition", "home_team").get(provider_id=101)


def url_of(page: str, match: Match) -> str:
    results = reverse("web:matches")
    return {
        "home": reverse("web:home"),
        "league table": reverse("web:league_table", args=[match.season.competition.slug, match.season.name]),
        "results": results,
        "results filtered": f"{results}?takim={match.home_team.slug}&baslangic=2023-01-01&bitis=2024-06-30",
        "results deep page": f"{results}?once={Cursor.of(Match.objects.get(provider_id=102))}",
        "team": reverse("web:team", args=[match.home_team.slug]),
        "match": reverse("web:match", args=[match.external_id]),
    }[page]


def get(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def fresh_render(client, url: str, settings) -> str:
    settings.WEB_PAGE_CACHE_SECONDS = 0
    try:
        return get(client, url)[0]
    finally:
        settings.WEB_PAGE_CACHE_SECONDS = 120


def import_new_score(match: Match) -> None:
    # What the Excel importer ends in: a bulk upsert keyed by external_id.
    stored = {name: getattr(match, name) for name in RECORD_FIELDS}
    upsert_matches([MatchRecord(**(stored | {"home_score": 0, "away_score": 4}))])


def fetch_new_score(match: Match) -> None:
    again = fetched(101, GALATASARAY, FENERBAHCE, date(2023, 9, 1), (0, 4), goals=[ProviderGoal(2, "Edin Džeko", 9)])
    store_matches([again])


def admin_new_score(match: Match, admin_client) -> None:
    url = reverse("admin:football_match_change", args=[match.pk])
    data = admin_form_data(admin_client.get(url))
    data |= {"home_score": "0", "away_score": "4"}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response


def admin_form_data(response) -> dict[str, str]:
    """The POST data of an unchanged admin change form, from its bound fields and inline formsets."""
    forms = [response.context["adminform"].form]
    data: dict[str, str] = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = str(management[name].value())
        # Only the stored rows; the blank extra forms stay out of the post.
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(formset.initial_form_count())
        forms += formset.initial_forms
    for form in forms:
        for bound in form:
            value = bound.value()
            if bound.field.widget.__class__.__name__ == "SplitDateTimeWidget" or isinstance(value, list):
                parts = bound.field.widget.decompress(value) if not isinstance(value, list) else value
                for n, part in enumerate(parts):
                    data[f"{bound.html_name}_{n}"] = "" if part is None else str(part)
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif value is not None:
                data[bound.html_name] = str(value)
    return data


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("write", ["import", "fetch", "admin edit"])
def test_a_write_shows_on_every_cached_page_at_once(client, admin_client, settings, derby, page, write):
    url = url_of(page, derby)
    before, _ = get(client, url)
    again, queries = get(client, url)
    assert again == before and queries == 0  # served from the page cache

    {"import": import_new_score, "fetch": fetch_new_score}.get(write, lambda m: admin_new_score(m, admin_client))(derby)

    after, _ = get(client, url)
    assert after != before
    assert after == fresh_render(client, url, settings)
    if page != "league table":  # the table shows points, not scores
        assert "0-4" in after
    if write == "fetch" and page == "match":
        assert "Edin Džeko" in after


def test_signed_in_visitors_get_their_own_page(admin_client, client, derby):
    url = reverse("web:home")
    anonymous, _ = get(client, url)
    mine, queries = get(admin_client, url)

    assert queries > 0 and "admin" in mine and "admin" not in anonymous


def test_pages_hand_out_no_cookie_and_vary_on_cookies(client, derby):
    response = client.get(reverse("web:home"))

    assert not response.cookies and "csrfmiddlewaretoken" not in response.content.decode()
    assert "Cookie" in response["Vary"]


def test_the_language_switch_works_without_a_csrf_token(derby):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    url = reverse("web:home")

    response = browser.post(reverse("set_language"), {"language": "en", "next": url}, follow=True)

    assert response.status_code == 200 and '<html lang="en">' in response.content.decode()
    assert '<html lang="tr">' in Client().get(url).content.decode()  # another visitor's page stays Turkish


def test_each_process_keeps_its_last_pages_and_falls_back_to_the_shared_copy(client, derby):
    from django.core.cache import cache

    from app.web.page_cache import local_pages

    url = url_of("results", derby)
    first, _ = get(client, url)

    # This process's copy: served without the shared (Redis) copy of the page.
    redis = cache._cache.get_client(write=True)
    shared = list(redis.scan_iter(match=f"{cache.key_prefix}:{cache.version}:web:page:*"))
    assert shared
    redis.delete(*shared)
    assert get(client, url) == (first, 0)

    # Another process (an empty local copy) takes the shared copy, without rendering.
    get(client, reverse("web:home"))  # stores the home page in both levels again
    local_pages.clear()
    assert get(client, reverse("web:home"))[1] == 0


def test_the_local_copy_is_bounded_in_bytes_and_never_serves_another_version():
    from app.web.page_cache import LocalPages, Page

    pages = LocalPages(max_bytes=100)
    pages.put(("tr", "/a"), Page("v1", "text/html", b"a" * 40))
    pages.put(("tr", "/b"), Page("v1", "text/html", b"b" * 40))
    assert pages.get(("tr", "/a"), "v1") is not None  # /a is now the most recent
    pages.put(("tr", "/c"), Page("v1", "text/html", b"c" * 40))  # 120 bytes: the oldest (/b) goes

    assert pages.get(("tr", "/b"), "v1") is None
    assert pages.get(("tr", "/a"), "v1").body == b"a" * 40
    assert pages.get(("tr", "/a"), "v2") is None  # rendered under an older data version
    assert pages.get(("en", "/a"), "v1") is None  # each language its own page
    pages.put(("tr", "/huge"), Page("v1", "text/html", b"x" * 101))  # larger than the whole budget
    assert pages.get(("tr", "/huge"), "v1") is None and pages.get(("tr", "/c"), "v1") is not None
