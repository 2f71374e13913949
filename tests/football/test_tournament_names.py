"""Every tournament the shipped data can show has a Turkish name; unseen names of the same families
are composed right, and names no rule knows are shown as stored (never half translated)."""

import csv
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from app.football import tournament_names
from app.football.localized_names import tournament_name
from app.football.services.demo_data import INTERNATIONAL_CSV
from tests.factories import make_competition, make_match, make_season, make_team
from tests.web.test_languages import visible_text

# The words that give an untranslated English tournament name away.
ENGLISH_TOURNAMENT_WORDS = re.compile(
    r"\b(Cup|Championship|Games|Tournament|League|Series|Trophy|Nations|International|World|qualification)\b"
)


def shipped_tournaments() -> set[str]:
    with INTERNATIONAL_CSV.open(encoding="utf-8") as handle:
        names = {row["tournament"] for row in csv.DictReader(handle)}
    return names | {"Süper Lig"}  # the demo loader's tournament for the league's matches


SHIPPED = sorted(shipped_tournaments())


def test_the_shipped_data_has_about_two_hundred_tournaments():
    assert len(SHIPPED) > 200


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_tournament_has_a_turkish_name_unless_it_is_a_listed_proper_name(name):
    with translation.override("tr"):
        turkish = tournament_name(name)
    with translation.override("en"):
        english = tournament_name(name)

    assert english == name
    if name in tournament_names.PROPER_TOURNAMENTS:
        assert turkish == name
    else:
        assert turkish != name
        assert not ENGLISH_TOURNAMENT_WORDS.search(turkish), turkish


def test_the_tables_name_only_shipped_tournaments():
    # A misspelt entry would never match; the word rules cover the rest.
    shipped = set(SHIPPED)
    assert set(tournament_names.TOURNAMENTS) <= shipped
    assert tournament_names.PROPER_TOURNAMENTS <= shipped


@pytest.mark.parametrize(
    "stored, turkish",
    [
        # None of these is in the shipped data.
        ("Zambia Independence Cup", "Zambiya Bağımsızlık Kupası"),
        ("Japan International Friendship Tournament", "Japonya Uluslararası Dostluk Turnuvası"),
        ("Turkey Four Nations Tournament", "Türkiye Dört Ulus Turnuvası"),  # no plural after a number
        ("USA 100th Anniversary Cup", "ABD 100. Yıl Kupası"),
        ("Caribbean Games", "Karayip Oyunları"),
        ("Baltic Nations Cup", "Baltık Uluslar Kupası"),
        ("UEFA Nations League qualification", "UEFA Uluslar Ligi elemeleri"),
        ("FIFA Arab Cup qualification", "FIFA Arap Kupası elemeleri"),
        ("King's Cup qualification", "Kral Kupası elemeleri"),
        ("African Cup of Nations qualification", "Afrika Uluslar Kupası elemeleri"),
        ("CONIFA European Football Cup qualification", "CONIFA Avrupa Futbol Kupası elemeleri"),
        ("England Mini Series", "İngiltere Mini Serisi"),
        ("UEFA Champions League", "UEFA Şampiyonlar Ligi"),  # club competitions of the provider
        ("UEFA Europa League", "UEFA Avrupa Ligi"),
        ("FIFA Club World Cup", "FIFA Kulüpler Dünya Kupası"),
        ("Premier League", "Premier League"),  # a brand: no rule, so as stored
        # A word no table knows: the whole name as stored, never a half-Turkish one.
        ("Summer Cup", "Summer Cup"),
        ("Zorbo Invitational Tournament", "Zorbo Invitational Tournament"),
        ("Summer Cup qualification", "Summer Cup qualification"),
        ("Copa Zorbo", "Copa Zorbo"),
        ("Cup", "Cup"),
        ("Friendly Match", "Friendly Match"),
    ],
)
def test_names_not_in_the_data_are_composed_by_the_word_rules(stored, turkish):
    with translation.override("tr"):
        assert tournament_name(stored) == turkish
    with translation.override("en"):
        assert tournament_name(stored) == stored


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, shown, hidden", [("tr", "Kirin Kupası", "Kirin Cup"), ("en", "Kirin Cup", "Kirin Kupası")]
)
def test_the_results_of_a_tournament_show_its_name_in_the_readers_language(client, language, shown, hidden):
    season = make_season(make_competition(name="Uluslararası Maçlar", slug="milli"), start_year=2019)
    japan, chile = make_team("Japan", is_national=True), make_team("Chile", is_national=True)
    make_match(season, japan, chile, tournament="Kirin Cup", date=date(2019, 6, 1))
    client.cookies["django_language"] = language

    page = visible_text(client.get(reverse("web:matches") + "?turnuva=Kirin+Cup").content.decode())

    assert shown in page and hidden not in page
