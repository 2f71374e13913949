"""400, 403, 404 and 500 in the site's style and the reader's language, with DEBUG off (as in production)."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import BadRequest, PermissionDenied
from django.test import Client
from django.urls import path

from app.urls import urlpatterns as site_urls

pytestmark = pytest.mark.django_db


def bad_request(request):
    raise BadRequest("test")


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a secret detail that must not be shown")


urlpatterns = [
    path("test/400/", bad_request),
    path("test/403/", forbidden),
    path("test/500/", broken),
    *site_urls,
]
handler403 = "app.web.errors.permission_denied"

PAGES = {
    "tr": {400: "Hatalı istek", 403: "Erişim izni yok", 404: "Sayfa bulunamadı", 500: "Bir şeyler ters gitti"},
    "en": {400: "Bad request", 403: "Access denied", 404: "Page not found", 500: "Something went wrong"},
}


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


@pytest.mark.parametrize("language", ["tr", "en"])
@pytest.mark.parametrize("code", [400, 403, 404, 500])
def test_error_pages_are_styled_and_translated_without_debug_details(production, language, code):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = language

    response = client.get("/test/404-bu-sayfa-yok/" if code == 404 else f"/test/{code}/")

    page = response.content.decode()
    assert response.status_code == code
    assert f'<html lang="{language}">' in page
    assert "web/site.css" in page and 'class="error-code">' + str(code) in page
    assert PAGES[language][code] in page
    other = "en" if language == "tr" else "tr"
    assert PAGES[other][code] not in page
    assert "Traceback" not in page and "secret detail" not in page and "Forbidden" not in page


@pytest.mark.parametrize("language, text", [("tr", "Erişim izni yok"), ("en", "Access denied")])
def test_admin_refusal_is_an_admin_page_in_the_readers_language(production, django_user_model, language, text):
    # An editor (staff) without the fetch permissions opens the admin's fetch pages.
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="view_match"))
    client = Client()
    client.force_login(editor)
    client.cookies["django_language"] = language

    for url in ("/admin/fetching/fetchrun/add/", "/admin/fetching/fetchrun/yeni/"):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 403, url
        assert text in page and 'id="site-name"' in page  # the admin's header, our words
        assert "403 Forbidden" not in page
