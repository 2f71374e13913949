"""Beat schedule that resumes imports left without a sign of life (created on migrate, editable in the admin)."""

from django.db import migrations

NAME = "Takılan içe aktarmaları sürdür (dakikada bir)"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": "imports.resume_stalled_imports",
            "kwargs": "{}",
            "interval": every_minute,
            "enabled": True,
            "description": "Çalışanı durmuş ya da mesajı kaybolmuş içe aktarmaları kaldıkları yerden sürdürür.",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0004_lease"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
