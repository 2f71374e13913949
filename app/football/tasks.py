"""Celery tasks of the football domain: thin wrappers around services."""

from celery import shared_task

from app.football import dispatch
from app.football.models import Competition, Season
from app.football.services.standings import recalculate_standings


@shared_task(name=dispatch.RECALCULATE_STANDINGS)
def recalculate_standings_task(season_ids: list[int]) -> dict:
    """Recompute and cache the tables of the given seasons; returns each leader and size."""
    summary = {}
    for season_id in season_ids:
        standings = recalculate_standings(season_id=season_id)
        leader = standings.rows[0] if standings.rows else None
        summary[str(season_id)] = {
            "matches": standings.matches_counted,
            "teams": len(standings.rows),
            "leader": leader.team_name if leader else None,
            "leader_points": leader.points if leader else None,
        }
    return summary


@shared_task(name="football.recalculate_league_standings")
def recalculate_league_standings_task() -> dict:
    """Scheduled (Celery beat): refresh the cached tables of every league season."""
    season_ids = list(Season.objects.filter(competition__kind=Competition.Kind.LEAGUE).values_list("id", flat=True))
    return recalculate_standings_task(season_ids)
