"""The one place fetch runs become Celery messages (signatures and canvases).

Services call these functions; tasks.py declares the tasks under the same names. Signatures are
built by task name, so this module never imports tasks.py and tasks.py → services → dispatch
has no way back (a cycle would only be hidden by a function-level import).
"""

from __future__ import annotations

from collections.abc import Iterable

from celery import chain, current_app, group

LIST_RUN_MATCHES = "fetching.list_run_matches"
DISPATCH_RUN = "fetching.dispatch_run"
FETCH_CHUNK = "fetching.fetch_chunk"


def send_run(run_id: int, *, list_first: bool) -> str:
    """Start a run on the workers: list a range's matches first when asked, then send its chunks.

    Returns the root task id (shown with a Flower link)."""
    dispatch = current_app.signature(DISPATCH_RUN, args=(run_id,), immutable=True)
    if list_first:
        result = chain(current_app.signature(LIST_RUN_MATCHES, args=(run_id,), immutable=True), dispatch).apply_async()
        return result.parent.id if result.parent else result.id
    return dispatch.apply_async().id


def send_chunks(run_id: int, chunks: Iterable[int]) -> None:
    """One message per chunk, carrying two integers; the chunk task reads its ids from the database."""
    group(current_app.signature(FETCH_CHUNK, args=(run_id, chunk), immutable=True) for chunk in chunks).apply_async()
