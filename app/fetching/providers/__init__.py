"""Clients for match-data APIs behind one small interface, `base.MatchProvider`.

A provider is one module here named after it (`football-data` → `football_data.py`) with a
`build(*, rate_limiter, pool_size) -> MatchProvider`; `FOOTBALL_PROVIDER` selects it, and each
FetchRun records the provider it was created with, so its chunks keep asking the same one.
"""

from __future__ import annotations

import importlib
import re
from types import ModuleType

from django.core.exceptions import ImproperlyConfigured

_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def provider_module(name: str) -> ModuleType:
    """The module of provider `name`; a clear configuration error for an unknown one."""
    if _NAME.match(name) and name not in ("base",):
        try:
            return importlib.import_module(f"{__name__}.{name.replace('-', '_')}")
        except ModuleNotFoundError:
            pass
    raise ImproperlyConfigured(f"FOOTBALL_PROVIDER={name!r}: no module app/fetching/providers/{name}.py")
