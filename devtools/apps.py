from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Installed in development and tests only (settings.py): gives `manage.py run_simulated_provider`."""

    name = "devtools"
    label = "devtools"
    verbose_name = "Development tools"
