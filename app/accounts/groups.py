"""The project's user groups and their permissions, (re)applied after every `migrate`.

Permissions are named by (app_label, codename). Those of apps that are not installed or not
migrated yet are skipped silently; because this runs after every migrate, they are attached
as soon as their app's migration created them. Permissions an administrator added to a group
by hand are kept (nothing is removed).
"""

from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import DEFAULT_DB_ALIAS, router
from django.utils.translation import gettext_lazy as _

EDITOR = "Editör"
OPERATOR = "Operatör"

# The group names are data (stored once, in Turkish); these labels only document them.
GROUP_DESCRIPTIONS = {
    EDITOR: _("Excel içe aktarır, maçları, golleri, takımları ve sezonları düzenler."),
    OPERATOR: _("Veri çekme işlerini başlatır ve izler, yönetim panelini görür."),
}


def _model_perms(app_label: str, models: list[str], actions: list[str]) -> list[tuple[str, str]]:
    return [(app_label, f"{action}_{model}") for model in models for action in actions]


GROUP_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    EDITOR: [
        ("football", "import_matches"),
        ("football", "export_matches"),
        *_model_perms("football", ["match", "goal", "team", "teamalias", "season"], ["add", "change", "view"]),
        ("football", "view_competition"),
        ("imports", "add_importfile"),
        ("imports", "view_importfile"),
        ("imports", "change_importfile"),
        ("imports", "undo_import"),
        ("imports", "view_importundo"),
    ],
    OPERATOR: [
        ("fetching", "start_fetch_run"),
        ("fetching", "view_fetchrun"),
        ("fetching", "change_fetchrun"),
        ("fetching", "view_fetchfailure"),
        ("football", "view_match"),
        ("football", "view_competition"),
        ("football", "view_season"),
        ("django_celery_results", "view_taskresult"),
        ("django_celery_beat", "view_periodictask"),
        ("django_celery_beat", "change_periodictask"),
    ],
}


def ensure_groups(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """Create the groups and attach every permission that exists; returns what was missing."""
    from django.contrib.auth.models import Group, Permission

    # post_migrate runs app by app; make sure the permissions of apps after us exist too.
    for app_config in global_apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)

    wanted = {pair for pairs in GROUP_PERMISSIONS.values() for pair in pairs}
    found = {
        (app_label, codename): pk
        for pk, app_label, codename in Permission.objects.using(using)
        .filter(content_type__app_label__in={app for app, _ in wanted}, codename__in={code for _, code in wanted})
        .values_list("pk", "content_type__app_label", "codename")
    }
    missing: dict[str, list[str]] = {}
    for name, pairs in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.add(*[found[pair] for pair in pairs if pair in found])
        missing[name] = [f"{app}.{code}" for app, code in pairs if (app, code) not in found]
    return missing


def ensure_groups_after_migrate(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    from django.contrib.auth.models import Group

    if not router.allow_migrate_model(using, Group):
        return
    ensure_groups(using=using)
