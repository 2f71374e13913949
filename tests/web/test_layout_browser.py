"""The pages as a fan, an editor and an operator see them in Chromium: a 390×844 phone and 1366 px desktops.

On the phone the elements that matter lie inside the viewport and nothing scrolls sideways.
"""

import re
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from playwright.sync_api import expect

from app.fetching.models import FetchFailure, FetchRun
from app.fetching.services import runs
from app.football.models import Competition
from app.imports.models import ImportFile
from tests.factories import make_competition, make_match, make_season, make_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
CLUBS = ["Galatasaray", "Fenerbahçe", "Trabzonspor", "Başakşehir", "Kasımpaşa", "Beşiktaş", "Sivasspor", "Alanyaspor",
         "Çaykur Rizespor", "Antalyaspor", "Kayserispor", "Adana Demirspor", "Fatih Karagümrük", "Gaziantep FK",
         "Mersin İdmanyurdu", "Akçaabat Sebatspor"]  # fmt: skip


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def open_(path: str, *, viewport: dict = PHONE, language: str = "tr", user=None):
        context = browser.new_context(locale="tr-TR" if language == "tr" else "en-GB", viewport=viewport)
        context.set_default_timeout(15_000)
        contexts.append(context)
        cookies = [{"name": "django_language", "value": language, "url": live_server.url}]
        if user is not None:
            client = Client()
            client.force_login(user)
            cookies.append({"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url})
        context.add_cookies(cookies)
        page = context.new_page()
        page.goto(live_server.url + path)
        return page

    yield open_
    for context in contexts:
        context.close()


def assert_inside_viewport(page, locator) -> None:
    width = page.viewport_size["width"]
    for i in range(locator.count()):
        box = locator.nth(i).bounding_box()
        assert box is not None, f"{locator} #{i} is not shown"
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, f"{locator} #{i} lies outside: {box}"


def assert_no_sideways_scrolling(page) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Tables scroll inside their own box at worst; at these sizes they must not need to.
    overflowing = page.evaluate(
        "[...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1).length"
    )
    assert overflowing == 0


@pytest.fixture
def league():
    competition = make_competition(name="Süper Lig", slug="super-lig", tie_break=Competition.TieBreak.HEAD_TO_HEAD)
    season = make_season(competition, start_year=2023)
    teams = [make_team(name) for name in CLUBS]
    for i, home in enumerate(teams):
        for j, away in enumerate(teams):
            if i != j:
                make_match(season, home, away, home_score=(i * 7 + j) % 4, away_score=(j * 3 + i) % 3,
                           date=date(2023, 8, 1 + (i + j) % 28), tournament="Süper Lig")  # fmt: skip
    return season


@pytest.mark.parametrize("language", ["tr", "en"])
def test_phone_league_table_shows_position_team_played_difference_and_points(open_page, league, language):
    page = open_page("/lig/super-lig/2023-24/", language=language)

    rows = page.locator("table.standings tbody tr")
    expect(rows).to_have_count(len(CLUBS))
    for column in ("td:nth-child(1)", "th.team-col a", "td:nth-child(3)", "td:nth-child(9)", "td.points"):
        assert_inside_viewport(page, rows.locator(column))
    expect(rows.nth(0).locator(".row-detail")).to_be_visible()  # wins, draws, losses, goals under the name
    expect(rows.nth(0).locator("td.wdl").first).to_be_hidden()
    assert_no_sideways_scrolling(page)


def test_desktop_league_table_shows_every_column(open_page, league):
    page = open_page("/lig/super-lig/2023-24/", viewport=DESKTOP)

    row = page.locator("table.standings tbody tr").first
    expect(row.locator("td.wdl").first).to_be_visible()
    expect(row.locator(".form")).to_be_visible()
    expect(row.locator(".row-detail")).to_be_hidden()
    assert_no_sideways_scrolling(page)


@pytest.mark.parametrize("language", ["tr", "en"])
def test_phone_results_list_shows_date_both_teams_and_the_score(open_page, language):
    internationals = make_season(make_competition(name="Milli", kind=Competition.Kind.INTERNATIONAL), start_year=2024)
    bosnia = make_team("Bosnia and Herzegovina", is_national=True)
    cape_verde = make_team("Saint Vincent and the Grenadines", is_national=True)
    make_match(internationals, bosnia, cape_verde, tournament="FIFA World Cup qualification", date=date(2024, 6, 1))
    make_match(internationals, make_team("Central African Republic", is_national=True), bosnia,
               tournament="Friendly", date=date(2024, 3, 1))  # fmt: skip

    page = open_page("/maclar/", language=language)

    rows = page.locator("table.matches tbody tr")
    expect(rows).to_have_count(2)
    for column in ("td.date-col", "td.team-col.home a", "td.score-col a", "td.team-col:not(.home) a"):
        assert_inside_viewport(page, rows.locator(column))
    expect(page.locator(".result-count")).to_contain_text("2")
    assert_no_sideways_scrolling(page)
    if language == "tr":
        expect(rows.first).to_contain_text("Bosna-Hersek")


def test_phone_team_and_match_pages_fit(open_page, league):
    match = league.matches.select_related("home_team").first()

    page = open_page(f"/takim/{match.home_team.slug}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_sideways_scrolling(page)

    page = open_page(f"/mac/{match.external_id}/")
    assert_inside_viewport(page, page.locator(".scoreboard .side a"))
    assert_no_sideways_scrolling(page)


@pytest.fixture
def operator(django_user_model):
    user = django_user_model.objects.create_user("operator", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["start_fetch_run", "view_fetchrun"]))
    return user


def test_fetch_start_form_shows_only_the_chosen_modes_fields(open_page, operator):
    page = open_page("/veri-cek/", user=operator)

    expect(page.get_by_role("textbox", name="Maç kimlikleri")).to_be_visible()
    expect(page.get_by_label("Organizasyon kodu")).to_be_hidden()
    page.get_by_label("Organizasyon ve tarih aralığı").check()
    expect(page.get_by_label("Organizasyon kodu")).to_be_visible()
    expect(page.get_by_role("textbox", name="Maç kimlikleri")).to_be_hidden()
    assert_inside_viewport(page, page.get_by_role("button", name="Başlat"))
    assert_no_sideways_scrolling(page)


def test_run_page_failure_list_follows_the_counters_live(open_page, operator):
    run = runs.create_run(provider_ids=range(1, 11))
    FetchRun.objects.filter(pk=run.id).update(status=FetchRun.Status.RUNNING)
    page = open_page(f"/veri-cek/{run.id}/", user=operator)
    expect(page.locator(".failures-none")).to_be_visible()
    expect(page.get_by_role("button", name="Durdur")).to_be_visible()

    run.items.filter(provider_id=4).update(state="failed", attempts=3, last_reason="not_found")
    FetchFailure.objects.create(run=run, provider_id=4, reason="not_found", detail="HTTP 404", http_status=404)
    runs.refresh_run(run.id)

    failed_rows = page.locator("table.failures tbody tr")
    expect(failed_rows).to_have_count(1, timeout=10_000)
    expect(failed_rows.first).to_contain_text("HTTP 404")
    expect(page.locator(".failures-none")).to_be_hidden()
    expect(page.locator(".counters [data-field=failed]")).to_have_text("1")
    expect(page.locator("#failures-title")).to_contain_text("1")
    assert_no_sideways_scrolling(page)


def test_admin_lists_fit_a_1366_screen_with_compact_filters(open_page, admin_user, league):
    long_name = "Süper Lig " + "çok-uzun-bir-dosya-adı-" * 8 + ".xlsx"
    ImportFile.objects.create(competition=league.competition, original_name=long_name, size=1, file="imports/x.xlsx")

    make_season(league.competition, start_year=2022)  # two seasons: the season filter is shown
    page = open_page("/admin/football/match/", viewport=DESKTOP, user=admin_user)
    expect(page.locator("#changelist-filter select")).to_have_count(3)  # season, team, period
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert page.evaluate("document.documentElement.scrollHeight") < 3000  # no metres of filter links
    page.locator("#changelist-filter select").nth(2).select_option(label="2020–2029")
    expect(page).to_have_url(re.compile(r"donem=2020"))

    page = open_page("/admin/imports/importfile/", viewport=DESKTOP, user=admin_user)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    name = page.locator("#result_list .mm-truncate").first
    assert name.get_attribute("title").startswith("Süper Lig çok-uzun")
    assert_inside_viewport(page, page.locator("#result_list td.field-status, #result_list a.button"))


@pytest.mark.parametrize("language, heading", [("tr", "PERİYODİK GÖREVLER"), ("en", "PERIODIC TASKS")])
def test_admin_headings_are_translated_before_css_uppercases_them(open_page, admin_user, language, heading):
    page = open_page("/admin/", viewport=DESKTOP, language=language, user=admin_user)

    assert page.get_attribute("html", "lang") == language  # CSS uppercases by the page's language rules
    caption = page.locator("#app-django_celery_beat caption, .app-django_celery_beat caption").first
    assert caption.inner_text().strip() == heading  # innerText is what the reader sees, after text-transform
    assert "PERİODİC" not in page.locator("#content").inner_text()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
def test_import_list_cuts_long_file_names_and_fits(open_page, admin_user, league, viewport):
    long_name = "Süper Lig " + "çok-uzun-bir-dosya-adı-" * 8 + ".xlsx"
    ImportFile.objects.create(competition=league.competition, original_name=long_name, size=1, file="imports/x.xlsx")

    page = open_page("/ice-aktar/", viewport=viewport, user=admin_user)

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_sideways_scrolling(page)  # neither the page nor the list's box scrolls sideways
    name = page.locator("#import-files .truncate").first
    assert name.get_attribute("title") == long_name  # the whole name on hover
    assert name.evaluate("el => el.scrollWidth > el.clientWidth")  # cut on screen
    shown = page.locator("#import-files .truncate, #import-files td.file-status, #import-files a.button")
    assert_inside_viewport(page, shown)
