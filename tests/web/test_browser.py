import re
from datetime import date

import pytest
from playwright.sync_api import expect

from app.football.services.demo_data import load_super_lig
from tests.factories import make_match, make_season, make_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_league_table_2023_24_shows_galatasaray_first_with_102_points(page, live_server):
    load_super_lig()

    page.goto(f"{live_server.url}/lig/super-lig/2023-24/")

    rows = page.locator("table.standings tbody tr")
    expect(rows).to_have_count(20)
    expect(rows.nth(0).locator("th a")).to_have_text("Galatasaray")
    expect(rows.nth(0).locator("td.points")).to_have_text("102")
    expect(rows.nth(1).locator("th a")).to_have_text("Fenerbahçe")
    expect(rows.nth(1).locator("td.points")).to_have_text("99")
    expect(page.locator(".matches-counted")).to_contain_text("380 maç üzerinden")
    expect(page.get_by_role("heading", level=1)).to_have_text("Süper Lig 2023-24 puan durumu")


def test_results_page_filters_by_team_and_date(page, live_server):
    season = make_season()
    fener, gs, bjk = make_team("Fenerbahçe"), make_team("Galatasaray"), make_team("Beşiktaş")
    make_match(season, fener, gs, date=date(2023, 9, 1))
    make_match(season, gs, bjk, date=date(2023, 10, 1))
    make_match(season, bjk, fener, date=date(2023, 11, 1))
    make_match(season, fener, bjk, date=date(2024, 3, 1))

    page.goto(f"{live_server.url}/maclar/")
    expect(page.locator("table.matches tbody tr")).to_have_count(4)
    page.get_by_label("Takım").select_option(label="Fenerbahçe")
    page.get_by_label("Bitiş tarihi").fill("2023-12-31")
    page.get_by_role("button", name="Filtrele").click()

    expect(page).to_have_url(re.compile(r"takim=fenerbahce.*bitis=2023-12-31"))
    rows = page.locator("table.matches tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Beşiktaş")
    expect(rows.nth(1)).to_contain_text("Galatasaray")
    expect(page.get_by_label("Takım")).to_have_value("fenerbahce")  # the form keeps its choice


def test_password_reset_flow_end_to_end(page, live_server, django_user_model, mailoutbox, settings, queued):
    settings.PUBLIC_BASE_URL = live_server.url  # mailed links point there, whatever the request's Host
    django_user_model.objects.create_user("zeynep", email="zeynep@example.org", password="Eski-Sifre-2023")

    page.goto(f"{live_server.url}/hesap/giris/")
    page.get_by_role("link", name="Parolanızı mı unuttunuz?").click()
    page.get_by_label("E-posta").fill("zeynep@example.org")
    page.get_by_role("button", name="Sıfırlama bağlantısı gönder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-postanızı kontrol edin")

    queued.run()  # the mail task, here rather than on a worker
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["zeynep@example.org"] and "parola sıfırlama" in message.subject
    link = re.search(r"https?://\S+/hesap/sifre-sifirla/\S+/", message.body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Yeni parola belirleyin")
    page.get_by_label("Yeni parola", exact=True).fill("Yepyeni-Sifre-2024")
    page.get_by_label("Yeni parola onayı").fill("Yepyeni-Sifre-2024")
    page.get_by_role("button", name="Parolamı kaydet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parolanız kaydedildi")

    page.get_by_role("link", name="Giriş yap").click()
    page.get_by_label("Kullanıcı adı").fill("zeynep")
    page.get_by_label("Parola").fill("Yepyeni-Sifre-2024")
    page.get_by_role("button", name="Giriş yap").click()
    expect(page.locator(".user-name")).to_have_text("zeynep")


def test_dashboard_warns_when_no_worker_runs(page, live_server, django_user_model):
    django_user_model.objects.create_superuser("yonetici", "yonetici@example.org", "Guclu-Sifre-2024")

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Kullanıcı adı").fill("yonetici")
    page.get_by_label("Parola").fill("Guclu-Sifre-2024")
    page.get_by_role("button", name="Oturum aç").click()

    warning = page.locator("#no-worker-warning")
    expect(warning).to_be_visible()
    expect(warning).to_have_text("Çalışan bir Celery işçisi yok")
    expect(page.locator("#dashboard-workers")).to_contain_text("celery")
