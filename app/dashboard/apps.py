from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The admin index's dashboard: data volume, Celery workers and queues, recent activity (staff only)."""

    name = "app.dashboard"
    label = "dashboard"
    verbose_name = _("Yönetim paneli")
