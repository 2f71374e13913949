"""The words of the pages are right: names in the reader's language, numbers as the language writes
them, footnotes that state the rule applied, the season's completeness, links that lead somewhere."""

import re
from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from app.football.localized_names import competition_name, country_name, sort_key, tournament_name
from app.football.models import Competition, Match
from tests.factories import make_competition, make_match, make_season, make_team


@pytest.mark.parametrize(
    "stored, turkish, english",
    [
        ("Turkey", "Türkiye", "Türkiye"),
        ("United States", "ABD", "United States"),
        ("England", "İngiltere", "England"),
        ("Northern Ireland", "Kuzey İrlanda", "Northern Ireland"),
        ("Kosovo", "Kosova", "Kosovo"),
        ("Germany", "Almanya", "Germany"),
        ("Ivory Coast", "Fildişi Sahili", "Ivory Coast"),
        ("German DR", "Doğu Almanya", "East Germany"),
        ("Galatasaray", "Galatasaray", "Galatasaray"),  # clubs pass through
    ],
)
def test_countries_and_national_teams_in_each_language(stored, turkish, english):
    with translation.override("tr"):
        assert country_name(stored) == turkish
    with translation.override("en"):
        assert country_name(stored) == english


def test_tournaments_in_turkish_and_as_stored_in_english():
    with translation.override("tr"):
        assert tournament_name("Friendly") == "Özel maç"
        assert tournament_name("FIFA World Cup") == "FIFA Dünya Kupası"
        assert tournament_name("UEFA Euro qualification") == "UEFA Avrupa Şampiyonası elemeleri"
        assert tournament_name("Süper Lig") == "Süper Lig"
    with translation.override("en"):
        assert tournament_name("FIFA World Cup qualification") == "FIFA World Cup qualification"
        assert competition_name("Uluslararası Maçlar") == "International matches"
        assert competition_name("Süper Lig") == "Süper Lig"


def test_turkish_alphabetical_order():
    names = ["Zambiya", "Çekya", "Cezayir", "Irak", "İran", "Ürdün", "Umman", "Şili", "Suriye"]
    assert sorted(names, key=sort_key) == ["Cezayir", "Çekya", "Irak", "İran", "Suriye", "Şili", "Umman", "Ürdün",
                                           "Zambiya"]  # fmt: skip


@pytest.mark.parametrize(
    "language, value, text", [("tr", 83.9, "%83,9"), ("en", 83.9, "83.9%"), ("tr", 100, "%100"), ("tr", 1.18, "%1,18")]
)
def test_percentages_as_each_language_writes_them(language, value, text):
    with translation.override(language):
        rendered = Template("{% load display %}{{ value|percent:2 }}").render(Context({"value": value}))
    assert rendered == text


@pytest.mark.parametrize(
    "language, count, text", [("tr", 59417, "59.417 maç"), ("en", 59417, "59,417 matches"), ("en", 1, "1 match")]
)
def test_counts_keep_the_noun_singular_after_a_number_in_turkish(language, count, text):
    template = Template('{% load display %}{% count_noun count "maç" "maçlar" %}')
    with translation.override(language):
        rendered = template.render(Context({"count": count})).replace("maçlar", "matches").replace("maç", "match")
    assert rendered == text.replace("maç", "match")


@pytest.mark.django_db
def test_admin_changelist_counts_in_turkish_grammar(admin_client):
    season = make_season()
    for _ in range(3):
        make_match(season)

    page = admin_client.get(reverse("admin:football_match_changelist")).content.decode()

    assert "3 maç" in page and "3 maçlar" not in page


@pytest.fixture
def head_to_head_league():
    """Kasımpaşa and Beşiktaş level on 7 points; Beşiktaş has the better goal difference, Kasımpaşa
    the better record in their mutual matches (a win and a draw)."""
    league = make_competition(name="Süper Lig", slug="super-lig", tie_break=Competition.TieBreak.HEAD_TO_HEAD)
    season = make_season(league, start_year=2023)
    kas, bjk, gs, siv = make_team("Kasımpaşa"), make_team("Beşiktaş"), make_team("Galatasaray"), make_team("Sivasspor")
    results = [
        (kas, bjk, 1, 0), (bjk, kas, 1, 1), (bjk, gs, 0, 1), (gs, bjk, 2, 0), (kas, gs, 0, 1), (gs, kas, 1, 0),
        (bjk, siv, 5, 0), (siv, bjk, 0, 5), (kas, siv, 1, 0), (siv, kas, 1, 0), (gs, siv, 1, 0), (siv, gs, 0, 1),
    ]  # fmt: skip
    for day, (home, away, home_score, away_score) in enumerate(results, start=1):
        make_match(season, home, away, home_score=home_score, away_score=away_score, date=date(2023, 9, day))
    return season


@pytest.mark.django_db
def test_footnote_names_the_teams_ordered_by_head_to_head(client, head_to_head_league):
    response = client.get(reverse("web:league_table", args=["super-lig", "2023-24"]))

    page = response.content.decode()
    names = [row.team_name for row in response.context["standings"].rows]
    assert names.index("Kasımpaşa") < names.index("Beşiktaş")  # Beşiktaş has the better goal difference
    assert "ikili averaj henüz uygulanmıyor" not in page
    assert "7 puanda ikili averajla sıralandı: Kasımpaşa, Beşiktaş." in page


@pytest.mark.django_db
def test_goal_difference_competitions_say_so_without_head_to_head(client):
    season = make_season(make_competition(slug="lig-x"), start_year=2023)
    make_match(season)

    page = client.get(reverse("web:league_table", args=["lig-x", "2023-24"])).content.decode()

    assert "Sıralama: puan, averaj, atılan gol, galibiyet sayısı, takım adı." in page
    assert "ikili averaj" not in page


@pytest.mark.django_db
def test_an_incomplete_season_says_how_many_of_its_matches_are_stored(client):
    competition = make_competition(slug="super-lig")
    season = make_season(competition, start_year=2009)
    teams = [make_team() for _ in range(17)]
    for i, home in enumerate(teams):  # 17 clubs of the 18: 272 of 306 matches
        for j, away in enumerate(teams):
            if i != j:
                make_match(season, home, away, date=date(2009, 8, 1 + (i + j) % 28))

    page = client.get(reverse("web:league_table", args=["super-lig", "2009-10"])).content.decode()

    assert "272 maç üzerinden" in page
    assert "Eksik sezon: bu sezonun 306 maçından yalnızca 272 tanesi kayıtlı." in page


@pytest.mark.django_db
def test_home_and_lig_lead_to_the_latest_season_with_played_matches(client):
    competition = make_competition(name="Süper Lig", slug="super-lig")
    played, upcoming = make_season(competition, start_year=2024), make_season(competition, start_year=2025)
    make_match(played, date=date(2025, 5, 1))
    make_match(upcoming, home_score=None, away_score=None, status=Match.Status.SCHEDULED, date=date(2025, 8, 9))

    home = client.get(reverse("web:home")).content.decode()

    assert client.get(reverse("web:default_table"))["Location"] == "/lig/super-lig/2024-25/"
    assert 'href="/lig/super-lig/2024-25/">2024-25 puan durumu</a>' in home
    assert "2025-26 puan durumu" not in home


@pytest.mark.django_db
def test_results_count_season_by_name_and_no_list_under_an_invalid_filter(client):
    season = make_season(start_year=2023)
    for _ in range(3):
        make_match(season)
    make_match(make_season(start_year=2021))

    page = client.get(reverse("web:matches") + "?sezon=2023-24").content.decode()
    assert "Filtreye uyan 3 maç" in page
    assert "Toplam 4 maç" in client.get(reverse("web:matches")).content.decode()

    response = client.get(reverse("web:matches") + "?sezon=1900-01")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Böyle bir sezon yok." in page and "Hatalı bir filtreyle maç listelenmez." in page
    assert 'table class="matches"' not in page


@pytest.mark.django_db
def test_filter_labels_follow_the_language_and_a_rename_at_once(client, django_user_model):
    """The filter's localised, sorted options are cached per language and data version."""
    germany = make_team("Germany")
    make_match(make_season(), make_team("Turkey"), germany)
    # Signed in, so the page is rendered (anonymous pages come from the page cache).
    client.force_login(django_user_model.objects.create_user("okur"))

    def team_options(language: str) -> list[str]:
        client.cookies["django_language"] = language
        page = client.get(reverse("web:matches")).content.decode()
        start = page.index('name="takim"')
        return re.findall(r"<option[^>]*>([^<]*)</option>", page[start : page.index("</select>", start)])

    assert team_options("tr") == ["Tüm takımlar", "Almanya", "Türkiye"]
    assert team_options("en") == ["All teams", "Germany", "Türkiye"]
    assert team_options("tr") == ["Tüm takımlar", "Almanya", "Türkiye"]  # each language its own cache entry

    germany.name = "Austria"
    germany.save()  # a new data version: the next page shows the new name, sorted
    assert team_options("tr") == ["Tüm takımlar", "Avusturya", "Türkiye"]
