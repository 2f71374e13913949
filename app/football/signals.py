"""Saved or deleted football rows make cached tables and pages stale.

A match changes its season's table; anything the public pages show (competitions, seasons,
teams, aliases, matches, goals) changes the data version the rendered pages are cached under.
Bulk writes bypass signals: `services.matches.upsert_matches` and the other bulk paths call
`data_changed` themselves.
"""

from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from app.football.models import Competition, Goal, Match, Season, Team, TeamAlias
from app.football.services.data_version import data_changed
from app.football.services.standings import invalidate_standings


@receiver(pre_save, sender=Match, dispatch_uid="football.match_remember_season")
def remember_previous_season(sender: type[Match], instance: Match, **kwargs: Any) -> None:
    # A match moved to another season leaves the old table stale as well.
    instance._previous_season_id = (
        Match.objects.filter(pk=instance.pk).values_list("season_id", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=Match, dispatch_uid="football.match_saved")
def match_saved(sender: type[Match], instance: Match, **kwargs: Any) -> None:
    previous = instance._previous_season_id
    invalidate_standings({instance.season_id} if previous is None else {instance.season_id, previous})


@receiver(post_delete, sender=Match, dispatch_uid="football.match_deleted")
def match_deleted(sender: type[Match], instance: Match, **kwargs: Any) -> None:
    invalidate_standings([instance.season_id])


@receiver(post_save, sender=Competition, dispatch_uid="football.competition_saved")
def competition_saved(sender: type[Competition], instance: Competition, created: bool, **kwargs: Any) -> None:
    # Points for a win and the tie-break rule are the competition's: every table of it may change.
    if not created:
        invalidate_standings(Season.objects.filter(competition_id=instance.pk).values_list("id", flat=True))


def _data_changed(sender: type[models.Model], **kwargs: Any) -> None:
    data_changed()


for _model in (Competition, Season, Team, TeamAlias, Match, Goal):
    post_save.connect(_data_changed, sender=_model, dispatch_uid=f"football.{_model.__name__}_saved_version")
    post_delete.connect(_data_changed, sender=_model, dispatch_uid=f"football.{_model.__name__}_deleted_version")
