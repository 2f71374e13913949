"""The "resume stalled fetch runs" schedule runs every minute (it was every 5), unless an operator changed it."""

from django.db import migrations

OLD_NAME = "Takılan veri çekmelerini sürdür (5 dakikada bir)"
NEW_NAME = "Takılan veri çekmelerini sürdür (dakikada bir)"


def move(apps, *, old: str, new: str, every: int) -> None:
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    task = PeriodicTask.objects.filter(name=old, task="fetching.resume_stalled_runs").select_related("interval").first()
    if task is None or task.interval is None or task.interval.period != "minutes":
        return
    if task.interval.every != (5 if every == 1 else 1):
        return  # an operator chose another interval: keep it
    task.interval, _ = IntervalSchedule.objects.get_or_create(every=every, period="minutes")
    task.name = new
    task.save()


def forwards(apps, schema_editor):
    move(apps, old=OLD_NAME, new=NEW_NAME, every=1)


def backwards(apps, schema_editor):
    move(apps, old=NEW_NAME, new=OLD_NAME, every=5)


class Migration(migrations.Migration):
    dependencies = [("fetching", "0002_default_schedules")]

    operations = [migrations.RunPython(forwards, backwards)]
