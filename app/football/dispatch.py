"""The one place football work becomes Celery messages.

Admin actions call these functions; tasks.py declares the tasks under the same names. Signatures
are built by task name, so nothing outside tasks.py imports tasks.py (see app/fetching/dispatch.py).
"""

from __future__ import annotations

from celery import current_app

RECALCULATE_STANDINGS = "football.recalculate_standings"


def send_recalculate_standings(season_ids: list[int]) -> str:
    """Recompute and cache the tables of these seasons on a worker; returns the task id."""
    return current_app.signature(RECALCULATE_STANDINGS, args=(season_ids,)).apply_async().id
