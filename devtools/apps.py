from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Gives `manage.py run_simulated_provider`; the simulator itself is imported only when that command runs."""

    name = "devtools"
    label = "devtools"
    verbose_name = "Development tools"
