"""Every page and admin changelist speaks one language: no English UI words under `tr`, no Turkish under `en`.

Data is excepted (club names, the stored competition names): the word lists hold UI words and
the display names of countries and tournaments, which are translated.
"""

import re
from datetime import date

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from app.fetching.models import FetchFailure
from app.fetching.services import runs
from app.football.models import Competition
from tests.factories import make_competition, make_match, make_season, make_team

pytestmark = pytest.mark.django_db

# Whole words or phrases, matched in the visible text (tags, scripts and styles removed).
ENGLISH_WORDS = [
    "Periodic Tasks", "Periodic tasks", "Clocked", "Crontabs", "Intervals", "Solar events", "Task results",
    "Task Results", "Group results", "Celery Results", "Access failures", "Access attempts", "Access logs",
    "Forbidden", "Not Found", "Server Error", "Bad Request", "Home", "Log out", "Welcome", "Add", "Change",
    "Delete", "Search", "Filter", "results", "Save", "Action", "Go", "Friendly", "FIFA World Cup",
    "qualification", "Turkey", "England", "United States", "Germany", "Spain", "Task ID", "Task State",
    "Enabled", "Name", "Last Run",
]  # fmt: skip
TURKISH_WORDS = [
    "Puan durumu", "puan durumu", "Maçlar", "Ana sayfa", "Son sonuçlar", "Filtrele", "Sezon", "Takım", "Tarih",
    "Ev sahibi", "Deplasman", "Skor", "Giriş", "Yönetim", "Ekle", "Değiştir", "Kaydet", "Sil", "Görev",
    "Veri çekme", "veri çekme", "Başarısız", "Özel maç", "İngiltere", "Almanya", "Süz", "Ara", "sonuç", "maç",
    "Periyodik", "Eylem", "Hoş geldiniz", "Bekleyen", "Toplam", "Durum", "Hatalı", "Sayfa bulunamadı",
]  # fmt: skip
# Shown on purpose in the other language: the language switch offers the other language by its own name;
# the admin's team list adds the stored spelling (what search finds) in brackets; schedule names are data.
ALLOWED = {
    "tr": ["English", "(Turkey)", "(England)"],
    "en": ["Türkçe", "Takılan veri çekmelerini sürdür", "Günlük veri çekme (Süper Lig"],
}


def visible_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style|svg)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<!--.*?-->", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def foreign_words(html: str, language: str) -> list[str]:
    text = visible_text(html)
    for allowed in ALLOWED[language]:
        text = text.replace(allowed, " ")
    words = ENGLISH_WORDS if language == "tr" else TURKISH_WORDS
    return [word for word in words if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]


@pytest.fixture
def site_data():
    league = make_competition(name="Süper Lig", slug="super-lig", country="Türkiye",
                              tie_break=Competition.TieBreak.HEAD_TO_HEAD)  # fmt: skip
    season = make_season(league, start_year=2023)
    gs, fb = make_team("Galatasaray"), make_team("Fenerbahçe")
    make_match(season, gs, fb, home_score=2, away_score=1, date=date(2023, 9, 1))
    internationals = make_competition(name="Internationals", slug="milli", kind=Competition.Kind.INTERNATIONAL)
    turkey, england = make_team("Turkey", is_national=True), make_team("England", is_national=True)
    national = make_match(make_season(internationals, start_year=2024), turkey, england, tournament="Friendly",
                          country="Turkey", city="Istanbul", date=date(2024, 3, 1))  # fmt: skip
    make_match(make_season(internationals, start_year=2022), england, turkey,
               tournament="FIFA World Cup qualification", date=date(2022, 6, 1))  # fmt: skip
    run = runs.create_run(provider_ids=[1, 2])
    FetchFailure.objects.create(run=run, provider_id=2, reason="not_found", detail="HTTP 404", http_status=404)
    return {"season": season, "team": turkey, "match": national, "run": run}


def public_urls(data) -> list[str]:
    return [
        reverse("web:home"),
        reverse("web:league_table", args=["super-lig", data["season"].name]),
        reverse("web:matches"),
        reverse("web:matches") + "?takim=yok",
        reverse("web:matches") + "?turnuva=FIFA+World+Cup+qualification",  # a tournament's results
        reverse("web:team", args=[data["team"].slug]),
        reverse("web:team", args=[data["team"].slug]) + "?rakip=england",
        reverse("web:match", args=[data["match"].external_id]),
        reverse("login"),
        reverse("password_reset"),
        "/bu-sayfa-yok/",
    ]


# The import pages (/ice-aktar/) belong to the import workflow and list the column headers a file may
# use, in both languages; they are checked with that workflow.
def staff_urls(data) -> list[str]:
    changelists = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
    ]
    return [
        reverse("admin:index"),
        *sorted(changelists),
        reverse("fetching:start"),
        reverse("fetching:run", args=[data["run"].id]),
    ]


@pytest.mark.parametrize("language", ["tr", "en"])
def test_every_page_and_changelist_speaks_one_language(client, admin_user, site_data, language):
    client.cookies["django_language"] = language
    problems = {}
    for url in public_urls(site_data):
        response = client.get(url)
        assert response.status_code in (200, 400, 404), (url, response.status_code)
        if found := foreign_words(response.content.decode(), language):
            problems[url] = found
    client.force_login(admin_user)
    for url in staff_urls(site_data):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if found := foreign_words(response.content.decode(), language):
            problems[url] = found
    translation.activate("tr")
    assert not problems, "\n".join(f"{url}: {words}" for url, words in problems.items())


def test_the_checker_sees_foreign_words_and_spares_the_language_switch():
    assert foreign_words("<p>Periodic Tasks</p><option>English</option>", "tr") == ["Periodic Tasks"]
    assert foreign_words("<p>Puan durumu</p><option>Türkçe</option>", "en") == ["Puan durumu"]
    assert foreign_words('<a title="Home">Ana sayfa</a><script>var Home;</script>', "tr") == []
