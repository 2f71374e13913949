"""Beat schedules for fetching, created on migrate and editable in the admin afterwards."""

import json

from django.db import migrations

SCHEDULES = [
    {
        "name": "Takılan veri çekmelerini sürdür (5 dakikada bir)",
        "task": "fetching.resume_stalled_runs",
        "interval": 5,
        "kwargs": {},
        "enabled": True,
        "description": "İlerlemesi duran veri çekmelerinin bekleyen maçlarını yeniden kuyruğa koyar.",
    },
    {
        "name": "Günlük veri çekme (Süper Lig, son 3 gün)",
        "task": "fetching.daily_fetch",
        "crontab": {"minute": "0", "hour": "6"},
        "kwargs": {"competition_code": "TSL", "days_back": 3, "days_forward": 0},
        # Off until an operator has set FOOTBALL_API_URL/FOOTBALL_API_TOKEN for a real provider.
        "enabled": False,
        "description": "Son günlerin maçlarını sağlayıcıdan çeker. Gerçek API ayarlandıktan sonra etkinleştirin.",
    },
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for spec in SCHEDULES:
        schedule = {}
        if "interval" in spec:
            schedule["interval"], _ = IntervalSchedule.objects.get_or_create(every=spec["interval"], period="minutes")
        else:
            schedule["crontab"], _ = CrontabSchedule.objects.get_or_create(
                minute=spec["crontab"]["minute"],
                hour=spec["crontab"]["hour"],
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone="Europe/Istanbul",
            )
        PeriodicTask.objects.get_or_create(
            name=spec["name"],
            defaults={
                "task": spec["task"],
                "kwargs": json.dumps(spec["kwargs"]),
                "enabled": spec["enabled"],
                "description": spec["description"],
                **schedule,
            },
        )


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[spec["name"] for spec in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("fetching", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
