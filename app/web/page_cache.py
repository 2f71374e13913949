"""Whole public pages for anonymous visitors, cached under the data version.

The profile of a warm results page (50 rows, an 800-option filter) is almost all template
rendering; a cached page costs two Redis reads instead. Pages are keyed by the data version
(app.football.services.data_version), the language and the full path, so an import, a fetch or
an admin edit is shown by the very next request. Only anonymous visitors share pages: a request
with a session or messages cookie is rendered for itself, and a page that handed out a CSRF
token or a cookie is never stored.
"""

import hashlib
import zlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from app.football.services.data_version import data_version

PAGE_KEY = "web:page:{version}:{language}:{path}"
PRIVATE_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def _shared(request: HttpRequest) -> bool:
    return (
        settings.WEB_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not any(name in request.COOKIES for name in PRIVATE_COOKIES)
    )


def page_key(request: HttpRequest) -> str:
    path = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return PAGE_KEY.format(version=data_version(), language=get_language(), path=path)


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve an anonymous GET from the page cache; render and store it on a miss."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _shared(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
        stored = cache.get(key)
        if stored is not None:
            content_type, body = stored
            response = HttpResponse(zlib.decompress(body), content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            ):
                # Level 1: a 60 kB page becomes ~8 kB in a fraction of a millisecond.
                body = zlib.compress(response.content, 1)
                cache.set(key, (response["Content-Type"], body), settings.WEB_PAGE_CACHE_SECONDS)
        # The page depends on the visitor's cookies (session, language) whichever way it was made.
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapper
