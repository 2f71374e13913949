"""Default Celery beat schedules, created on migrate and editable in the admin afterwards."""

from django.db import migrations

SCHEDULES = [
    {
        "name": "Puan durumlarını yenile (her gece)",
        "task": "football.recalculate_league_standings",
        "crontab": {"minute": "30", "hour": "4"},
        "description": "Lig sezonlarının puan durumlarını yeniden hesaplayıp önbelleğe koyar.",
    },
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for spec in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=spec["crontab"]["minute"],
            hour=spec["crontab"]["hour"],
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="Europe/Istanbul",
        )
        PeriodicTask.objects.get_or_create(
            name=spec["name"],
            defaults={"task": spec["task"], "crontab": crontab, "description": spec["description"]},
        )


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[spec["name"] for spec in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("football", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
