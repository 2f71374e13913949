from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FootballConfig(AppConfig):
    name = "app.football"
    label = "football"
    verbose_name = _("Futbol")

    def ready(self) -> None:
        # Only wires receivers; ready() must not touch the database.
        from app.football import signals  # noqa: F401
