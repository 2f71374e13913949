"""A saved or deleted match makes its season's cached table stale.

Bulk writes bypass signals; `services.matches.upsert_matches` invalidates for those itself.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from app.football.models import Match
from app.football.services.standings import invalidate_standings


@receiver(pre_save, sender=Match, dispatch_uid="football.match_remember_season")
def remember_previous_season(sender, instance: Match, **kwargs) -> None:
    # A match moved to another season leaves the old table stale as well.
    instance._previous_season_id = (
        Match.objects.filter(pk=instance.pk).values_list("season_id", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=Match, dispatch_uid="football.match_saved")
def match_saved(sender, instance: Match, **kwargs) -> None:
    invalidate_standings({instance.season_id, getattr(instance, "_previous_season_id", None)} - {None})


@receiver(post_delete, sender=Match, dispatch_uid="football.match_deleted")
def match_deleted(sender, instance: Match, **kwargs) -> None:
    invalidate_standings([instance.season_id])
