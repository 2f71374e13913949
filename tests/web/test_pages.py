import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from app.football.models import Goal
from tests.factories import make_competition, make_match, make_season, make_team

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def league():
    competition = make_competition(name="Süper Lig", slug="super-lig")
    season = make_season(competition, start_year=2023)
    teams = {name: make_team(name) for name in ["Galatasaray", "Fenerbahçe", "Beşiktaş"]}
    g, f, b = teams.values()
    make_match(season, g, f, home_score=3, away_score=1, date=date(2023, 9, 1), tournament="Lig")
    make_match(season, f, b, home_score=2, away_score=2, date=date(2023, 9, 8), tournament="Lig")
    make_match(season, b, g, home_score=0, away_score=1, date=date(2023, 9, 15), tournament="Lig")
    return season, teams


def test_league_table_shows_positions_points_form_and_match_count(client, league):
    response = client.get(reverse("web:league_table", args=["super-lig", "2023-24"]))

    page = response.content.decode()
    rows = [(row.team_name, row.points) for row in response.context["standings"].rows]
    assert rows == [("Galatasaray", 6), ("Beşiktaş", 1), ("Fenerbahçe", 1)]  # Beşiktaş on goal difference
    assert "3 maç üzerinden" in page
    assert '<abbr title="Averaj (gol farkı)">AV</abbr>' in page and '<abbr title="Puan">P</abbr>' in page
    assert '<th scope="row" class="team-col"><a href="/takim/galatasaray/">Galatasaray</a>' in page
    assert '<span class="row-detail">2G 0B 0M · 4:1</span>' in page  # wins and goals on phones
    assert '<abbr class="form-W" title="Galibiyet">G</abbr>' in page


def test_league_table_is_served_from_the_cache(client, league, settings):
    settings.WEB_PAGE_CACHE_SECONDS = 0  # the standings cache, under the page cache
    url = reverse("web:league_table", args=["super-lig", "2023-24"])
    first = count_queries(client, url)

    assert count_queries(client, url) == first - 3  # compute_standings' three queries are skipped


def test_league_urls_redirect_to_the_newest_or_chosen_season(client, league):
    make_season(league[0].competition, start_year=2022)

    assert client.get(reverse("web:default_table"))["Location"] == "/lig/super-lig/2023-24/"
    assert client.get("/lig/super-lig/?sezon=2022-23")["Location"] == "/lig/super-lig/2022-23/"
    assert client.get("/lig/super-lig/1900-01/").status_code == 404
    assert client.get("/lig/yok/").status_code == 404


def test_results_page_costs_the_same_number_of_queries_for_25_and_100_matches(client, settings):
    settings.WEB_PAGE_CACHE_SECONDS = 0  # the cost of a render
    season = make_season()
    teams = [make_team() for _ in range(10)]

    def add(n: int) -> None:
        for i in range(n):
            make_match(season, teams[i % 10], teams[(i + 3) % 10], tournament=f"Kupa {i % 4}")

    add(25)
    filtered = reverse("web:matches") + f"?sezon={season.name}&takim={teams[0].slug}&baslangic=2000-01-01"
    client.get(reverse("web:matches"))  # warms the cached tournament list
    few, few_filtered = count_queries(client, reverse("web:matches")), count_queries(client, filtered)
    add(75)
    client.get(reverse("web:matches"))  # the new matches are a new data version: choices again
    many, many_filtered = count_queries(client, reverse("web:matches")), count_queries(client, filtered)

    assert few == many <= 5  # with the COUNT of the matches the filters select
    assert few_filtered == many_filtered <= 7


def test_results_filters_by_season_team_dates_and_tournament(client, league):
    season, _ = league
    other = make_match(make_season(), tournament="Kupa", date=date(2020, 1, 1))
    url = reverse("web:matches")

    def shown(query: str) -> set[str]:
        return {m.external_id for m in client.get(url + query).context["page"].matches}

    assert other.external_id in shown("")
    assert len(shown(f"?sezon={season.name}")) == 3
    assert len(shown("?takim=fenerbahce")) == 2
    assert len(shown("?takim=galatasaray&baslangic=2023-09-10")) == 1
    assert len(shown("?bitis=2023-09-01")) == 2
    assert shown("?turnuva=Kupa") == {other.external_id}
    page = client.get(url + "?turnuva=Kupa").content.decode()
    assert f'<a href="/mac/{other.external_id}/" aria-label="' in page
    assert f'<a href="/takim/{other.home_team.slug}/">{other.home_team.name}</a>' in page


def test_results_filter_reports_bad_input_in_turkish(client, league):
    page = client.get(reverse("web:matches") + "?baslangic=2024-01-01&bitis=2023-01-01").content.decode()

    assert "Başlangıç tarihi bitiş tarihinden sonra olamaz." in page
    assert "Böyle bir takım yok." in client.get(reverse("web:matches") + "?takim=yok").content.decode()
    assert "Geçerli bir tarih girin" in client.get(reverse("web:matches") + "?baslangic=dun").content.decode()


def test_results_pages_walk_forward_and_back_without_gaps(client):
    season = make_season()
    home, away = make_team(), make_team()
    # Several matches per day so that the id breaks ties inside a date.
    for i in range(130):
        make_match(season, home, away, date=date(2023, 1, 1) + timedelta(days=i // 3))
    url = reverse("web:matches")

    seen, pages, response = [], [], client.get(url)
    while True:
        page = response.context["page"]
        pages.append([m.id for m in page.matches])
        seen += pages[-1]
        if not page.older:
            break
        response = client.get(f"{url}?once={page.older}")
    back = client.get(f"{url}?sonra={response.context['page'].newer}").context["page"]

    assert [len(p) for p in pages] == [50, 50, 30]
    assert len(seen) == len(set(seen)) == 130
    assert [m.id for m in back.matches] == pages[1]
    assert client.get(f"{url}?once=bozuk").context["page"].is_first  # a mangled cursor shows the first page


def test_team_page_shows_record_split_chart_and_head_to_head(client, league):
    response = client.get(reverse("web:team", args=["galatasaray"]) + "?rakip=fenerbahce")

    summary = response.context["summary"]
    assert (summary.home.won, summary.away.won, summary.total.goals_for, summary.total.goals_against) == (1, 1, 4, 1)
    assert [s.season_name for s in summary.seasons] == ["2023-24"]
    record = response.context["h2h"]["record"]
    assert (record.played, record.won, record.goals_for) == (1, 1, 3)
    page = response.content.decode()
    assert "<svg" in page and 'role="img"' in page and "2023-24: 4 gol attı" in page
    # Turkish writes decimals with a comma; SVG coordinates must keep the point.
    coordinates = re.findall(r'<rect class="bar-for" x="([^"]+)" y="([^"]+)" width="([^"]+)"', page)
    assert coordinates and all("," not in value for value in coordinates[0])
    assert client.get(reverse("web:team", args=["galatasaray"]) + "?rakip=yok").status_code == 200
    assert client.get(reverse("web:team", args=["yok"])).status_code == 404


def test_team_page_costs_a_constant_number_of_queries(client, league):
    season, teams = league
    url = reverse("web:team", args=["galatasaray"]) + "?rakip=fenerbahce"
    few = count_queries(client, url)
    for _ in range(20):
        make_match(season, teams["Galatasaray"], make_team())

    assert count_queries(client, url) == few


def test_match_page_lists_goals_with_minutes_and_scorers(client, league):
    season, teams = league
    match = make_match(season, teams["Galatasaray"], teams["Beşiktaş"], home_score=2, away_score=1)
    Goal.objects.create(match=match, sequence=1, team=teams["Galatasaray"], scorer="Mauro Icardi", minute=12)
    Goal.objects.create(match=match, sequence=2, team=teams["Beşiktaş"], scorer="Ciro Immobile", minute=55,
                        penalty=True)  # fmt: skip
    Goal.objects.create(match=match, sequence=3, team=teams["Galatasaray"], scorer="Omar Colley", minute=90,
                        own_goal=True)  # fmt: skip

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("web:match", args=[match.external_id])).content.decode()

    assert len(queries) <= 3
    for text in ("Mauro Icardi", "12'", "Ciro Immobile", "55'", "Penaltı", "Kendi kalesine", "90'"):
        assert text in page
    assert client.get(reverse("web:match", args=["yok"])).status_code == 404


def test_home_page_lists_competitions_and_latest_results(client, league):
    page = client.get(reverse("web:home")).content.decode()

    assert "Süper Lig" in page and "2023-24 puan durumu" in page
    assert 'href="#main"' in page and '<main id="main"' in page


def test_english_can_be_chosen_with_the_language_switch(client, league):
    url = reverse("web:league_table", args=["super-lig", "2023-24"])
    assert "Puan durumu" in client.get(url).content.decode()

    response = client.post(reverse("set_language"), {"language": "en", "next": url}, follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == url
    assert '<html lang="en">' in page
    assert "Super Lig 2023-24 standings" in page or "Süper Lig 2023-24 standings" in page
    assert '<abbr title="Goal difference">GD</abbr>' in page and "based on 3 matches" in page
