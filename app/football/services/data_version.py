"""One version for everything the public pages show, changed by every write.

Rendered pages are cached under it (app.web.page_cache): a write makes every cached page a miss
at once, so nothing stale is ever served and no write path has to know which pages show a match.
The change is made right away and again when the transaction commits: a page rendered from the
old rows between the two is stored under a version nobody asks for any more.

A write deletes the version and the next reader adds a new one. Deleting works where setting
does not: a Redis that is full with `noeviction` refuses every write but a delete. With no
version (the cache is down, or full and cannot take a new one) nothing is cached under one.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

DATA_VERSION_KEY = "football:data-version"


def data_version() -> str | None:
    """The current version (one Redis read); None when the cache cannot keep one."""
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        cache.add(DATA_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(DATA_VERSION_KEY)
    return version


def _new_version() -> None:
    cache.delete(DATA_VERSION_KEY)


def data_changed() -> None:
    """Call after any write to competitions, seasons, teams, matches or goals (bulk writes too)."""
    _new_version()
    transaction.on_commit(_new_version)
