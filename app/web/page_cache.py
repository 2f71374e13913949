"""Whole public pages for anonymous visitors, cached under the data version.

The profile of a warm results page (50 rows, an 800-option filter) is almost all template
rendering; a cached page skips it. Pages are keyed by the data version
(app.football.services.data_version), the language and the full path, so an import, a fetch or
an admin edit is shown by the very next request. Only anonymous visitors share pages: a request
with a session or messages cookie is rendered for itself, and a page that handed out a CSRF
token or a cookie is never stored.

Two levels. Redis holds every rendered page (compressed) for all processes and machines. Each
process also keeps the pages it served last, uncompressed, in a small LRU (`LocalPages`): the
profile of a hit showed two Redis round trips, the second carrying the whole page, plus its
decompression, at four times the middleware floor. A local hit costs one small Redis read (the
version, which every request must check so that a write shows at once) and no copy.
"""

import hashlib
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Page:
    version: str
    content_type: str
    body: bytes


class LocalPages:
    """This process's most recently served pages, bounded by their total size in bytes.

    gunicorn's threads share it, hence the lock. A page rendered under an older data version is
    never returned; it only waits to be pushed out.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[tuple[str, str], Page] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str], version: str) -> Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None or page.version != version:
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: tuple[str, str], page: Page) -> None:
        if len(page.body) > self.max_bytes:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._pages[key] = page
            self._bytes += len(page.body)
            while self._bytes > self.max_bytes:
                _, evicted = self._pages.popitem(last=False)
                self._bytes -= len(evicted.body)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0


local_pages = LocalPages(settings.WEB_PAGE_CACHE_LOCAL_BYTES)


def _shared(request: HttpRequest) -> bool:
    return (
        settings.WEB_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not any(name in request.COOKIES for name in PRIVATE_COOKIES)
    )


def page_key(request: HttpRequest, version: str) -> str:
    path = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return PAGE_KEY.format(version=version, language=get_language(), path=path)


def _cached(request: HttpRequest, version: str, local_key: tuple[str, str]) -> Page | None:
    page = local_pages.get(local_key, version)
    if page is None:
        stored = cache.get(page_key(request, version))
        if stored is None:
            return None
        content_type, body = stored
        page = Page(version, content_type, zlib.decompress(body))
        local_pages.put(local_key, page)
    return page


def _store(request: HttpRequest, version: str, local_key: tuple[str, str], response: HttpResponse) -> None:
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    ):
        return
    page = Page(version, response["Content-Type"], response.content)
    local_pages.put(local_key, page)
    # Level 1: HTML shrinks to a fraction of its size at almost no CPU cost (docs/web.md).
    stored = (page.content_type, zlib.compress(page.body, 1))
    cache.set(page_key(request, version), stored, settings.WEB_PAGE_CACHE_SECONDS)


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve an anonymous GET from the page cache; render and store it on a miss."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _shared(request):
            return view(request, *args, **kwargs)
        # The version is read before rendering: a write during the render stores the page under
        # the version it replaced, which nobody asks for any more.
        version = data_version()
        local_key = (get_language(), request.get_full_path())  # this process's key, once per request
        page = _cached(request, version, local_key)
        if page is not None:
            response = HttpResponse(page.body, content_type=page.content_type)
        else:
            response = view(request, *args, **kwargs)
            _store(request, version, local_key, response)
        # The page depends on the visitor's cookies (session, language) whichever way it was made.
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapper
