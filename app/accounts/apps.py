from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "app.accounts"
    label = "accounts"
    verbose_name = _("Hesaplar")

    def ready(self) -> None:
        from app.accounts.groups import ensure_groups_after_migrate

        # Sent once per app after every migrate; tying it to this app runs it once per migrate.
        post_migrate.connect(ensure_groups_after_migrate, sender=self, dispatch_uid="accounts.ensure_groups")
