"""Whole public pages for anonymous visitors, cached under the data version.

The profile of a warm results page (50 rows, an 800-option filter) is almost all template
rendering; a cached page skips it. Pages are keyed by the data version
(app.football.services.data_version), the language and the path with the query, so an import, a
fetch or an admin edit is shown by the very next request. Only anonymous visitors share pages: a
request with a session or messages cookie is rendered for itself, and a page that handed out a
CSRF token or a cookie, or that its view marked `do_not_store`, is never stored.

No visitor can make unbounded entries. Each cached view declares the query parameters it reads
(`cached_page(query=...)`); a URL with any other parameter, a parameter twice, or its parameters
in another order is redirected to the one URL of that page (the declared parameters, in the
declared order, each with the value the view reads), so the only keys are of URLs the view
reads in full. A value the view finds invalid (a form error, a cursor naming no match) is shown,
but the view marks that page `do_not_store`. A cache error is a miss (app.redis_cache); with no
data version (the cache is down) nothing is cached at all, in Redis or in this process.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers, cc_delim_re, patch_vary_headers
from django.utils.encoding import escape_uri_path
from django.utils.http import escape_leading_slashes
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


def page_key(path: str, version: str) -> str:
    digest = hashlib.blake2b(path.encode(), digest_size=16).hexdigest()
    return PAGE_KEY.format(version=version, language=get_language(), path=digest)


def canonical_query(request: HttpRequest, names: Sequence[str]) -> list[tuple[str, str]]:
    """The declared parameters present, in the declared order, each with its last value.

    The last value is the one `QueryDict.get` gives, and so the one forms and views read.
    """
    return [(name, request.GET[name]) for name in names if name in request.GET]


def do_not_store(response: HttpResponse) -> HttpResponse:
    """Keep this response out of every cache (this one and nginx's): for a page shown for an invalid value."""
    add_never_cache_headers(response)
    return response


def _storable(response: HttpResponse) -> bool:
    directives = cc_delim_re.split(response.get("Cache-Control", ""))
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in directives
        and "private" not in directives
    )


def _cached(version: str, local_key: tuple[str, str]) -> Page | None:
    page = local_pages.get(local_key, version)
    if page is None:
        stored = cache.get(page_key(local_key[1], version))
        if stored is None:
            return None
        content_type, body = stored
        page = Page(version, content_type, zlib.decompress(body))
        local_pages.put(local_key, page)
    return page


def _store(request: HttpRequest, version: str, local_key: tuple[str, str], response: HttpResponse) -> None:
    if not _storable(response) or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return
    page = Page(version, response["Content-Type"], response.content)
    local_pages.put(local_key, page)
    # Level 1: HTML shrinks to a fraction of its size at almost no CPU cost (docs/web.md).
    stored = (page.content_type, zlib.compress(page.body, 1))
    cache.set(page_key(local_key[1], version), stored, settings.WEB_PAGE_CACHE_SECONDS)


ViewFunction = Callable[..., HttpResponse]


def cached_page(*, query: Sequence[str] = ()) -> Callable[[ViewFunction], ViewFunction]:
    """Serve an anonymous GET from the page cache; render and store it on a miss.

    `query`: the names of the query parameters the view reads, in the order its links and forms
    write them. A GET with anything else is redirected to the URL with these alone.
    """
    names = tuple(query)

    def decorator(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            canonical = canonical_query(request, names)
            if canonical != [(name, value) for name, values in request.GET.lists() for value in values]:
                # Not a permanent redirect: the parameters a view reads may change in a release.
                path = escape_leading_slashes(escape_uri_path(request.path))
                return HttpResponseRedirect(f"{path}?{urlencode(canonical)}" if canonical else path)
            if not _shared(request):
                return view(request, *args, **kwargs)
            # The version is read before rendering: a write during the render stores the page
            # under the version it replaced, which nobody asks for any more.
            version = data_version()
            if version is None:  # the cache is down: nothing can be kept under a version
                return _vary_on_cookies(view(request, *args, **kwargs))
            # The parsed path and query, so that another spelling of a URL (`%67` for `g`) is the same page.
            local_key = (get_language(), f"{request.path}?{urlencode(canonical)}")  # this process's key
            page = _cached(version, local_key)
            if page is not None:
                response = HttpResponse(page.body, content_type=page.content_type)
            else:
                response = view(request, *args, **kwargs)
                _store(request, version, local_key, response)
            return _vary_on_cookies(response)

        return wrapper

    return decorator


def _vary_on_cookies(response: HttpResponse) -> HttpResponse:
    # The page depends on the visitor's cookies (session, language) whichever way it was made.
    patch_vary_headers(response, ("Cookie",))
    return response
