"""Through a real browser: admin login, the admin's "add" to the upload page, a real workbook, preview with a
bad row, confirm, live progress."""

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from app.football.models import Match
from app.imports.services.export import write_xlsx
from app.imports.services.samples import SEED_HEADERS, small_sample_rows

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(locale="tr-TR")
        page.set_default_timeout(30_000)
        yield page
        browser.close()


@pytest.mark.browser
@pytest.mark.worker
def test_staff_uploads_previews_and_imports_a_workbook_in_the_admin(
    live_server, live_worker, browser_page, django_user_model, tmp_path
):
    django_user_model.objects.create_superuser("yonetici", "yonetici@example.org", "Gizli-Parola-42")
    rows = small_sample_rows(2023)  # the real 2023-24 Süper Lig season, 380 matches
    rows.insert(10, ["hatali-1", "Galatasaray", "Galatasaray", 1, 1, rows[10][5]])
    workbook = tmp_path / "super_lig_2023.xlsx"
    write_xlsx(rows, str(workbook), headers=SEED_HEADERS)
    page = browser_page

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "yonetici")
    page.fill("#id_password", "Gizli-Parola-42")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/imports/importfile/")
    page.get_by_role("link", name=re.compile("Excel yüklemesi ekle")).click()
    expect(page).to_have_url(f"{live_server.url}/ice-aktar/")  # the admin's entry opens the import's home
    expect(page.locator("#import-template")).to_be_visible()  # the template workbook, from the upload page
    page.set_input_files("#id_files", str(workbook))
    page.click("#import-upload")

    expect(page.locator("#import-errors")).to_contain_text("Bir takım kendisiyle oynayamaz")
    expect(page.locator("#import-errors")).to_contain_text("12")  # the spreadsheet row of the bad match
    expect(page.locator("#import-preview")).to_contain_text("Trabzonspor")
    assert not Match.objects.exists()  # the preview wrote nothing

    expect(page.locator("#import-heading")).to_have_text("Önizleme: super_lig_2023.xlsx")
    expect(page.locator("#import-warnings")).to_contain_text("Yeni takım oluşturulacak: “Trabzonspor”.")
    page.click("#import-start")  # the confirm box is required: the browser does not send the form
    assert page.locator("#import-confirm").evaluate("box => !box.validity.valid")
    page.check("#import-confirm")
    page.click("#import-start")
    expect(page.locator("#import-percent")).to_have_text("%100", timeout=60_000)
    expect(page.locator("#import-heading")).to_have_text("İçe aktarıldı: super_lig_2023.xlsx")
    expect(page.locator("#import-created")).to_have_text("380")
    expect(page.locator("#import-rejected")).to_have_text("1")

    detail = page.url
    page.click("#import-matches-link")
    expect(page.locator("#result_list")).to_contain_text("Trabzonspor")
    assert Match.objects.filter(source=Match.Source.EXCEL).count() == 380

    # The undo's bar is the same script: it follows the undo and the page then says what happened.
    page.goto(detail)
    page.click("#undo-start")
    expect(page.locator("#import-heading")).to_have_text("Geri alındı: super_lig_2023.xlsx", timeout=60_000)
    expect(page.locator("#undo-percent")).to_have_text("%100")
    expect(page.locator("#undo-deleted")).to_have_text("380")
    assert not Match.objects.filter(source=Match.Source.EXCEL).exists()
