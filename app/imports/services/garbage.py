"""Python's cyclic garbage collector, run less often while a big file is checked and imported.

An import keeps every checked row until it has written them (one duplicate anywhere refuses all
its copies first), about 200,000 small objects for a 200,000-row file. With the default
thresholds (a young collection every 700 allocations) the collector keeps walking them: with
100,000 a 200,000-row re-import went from 61 to 45–55 µs per row (scripts/bench_import.py), and
its time per row no longer grows with the file. The rows hold no reference cycles, so nothing
waits longer to be freed; reference counting frees them as before.
"""

import functools
import gc
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

YOUNG_THRESHOLD = 100_000

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_active = 0
_saved: tuple[int, int, int] | None = None


def fewer_collections(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` with the young-generation threshold raised; restored when the last such call
    in this process ends (gunicorn threads may preview two uploads at once)."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        global _active, _saved
        with _lock:
            if _active == 0:
                _saved = gc.get_threshold()
                gc.set_threshold(max(YOUNG_THRESHOLD, _saved[0]), *_saved[1:])
            _active += 1
        try:
            return function(*args, **kwargs)
        finally:
            with _lock:
                _active -= 1
                if _active == 0 and _saved is not None:
                    gc.set_threshold(*_saved)
                    _saved = None

    return wrapper
