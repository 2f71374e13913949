"""Which tasks a schedule (django-celery-beat's PeriodicTask) may run, and with which arguments.

Whoever may change a schedule may make the worker run its task with its arguments. Only the
project's own tasks (defined in the `app` package) qualify, not Celery's built-ins or a library's,
and the arguments must fit the task's own signature: the task function is the one declaration of
what it takes, so a task added later is schedulable with no list to edit here.
"""

from __future__ import annotations

import inspect
import json
import types
import typing
from typing import Any

from celery import Task
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PROJECT_PACKAGE = "app."


def _registered_tasks() -> dict[str, Task]:
    from app.celery import app as celery_app

    celery_app.loader.import_default_modules()  # every app's tasks.py, as the worker loads them
    return dict(celery_app.tasks)


def schedulable_task_names() -> list[str]:
    return sorted(name for name, task in _registered_tasks().items() if _is_project_task(task))


def _is_project_task(task: Task) -> bool:
    return type(task).__module__.startswith(PROJECT_PACKAGE) or getattr(task.run, "__module__", "").startswith(
        PROJECT_PACKAGE
    )


def validate_schedule(*, task_name: str, args: str, kwargs: str) -> None:
    """Raise ValidationError unless `task_name` is a project task and the JSON arguments fit it."""
    task = _registered_tasks().get(task_name)
    if task is None or not _is_project_task(task):
        raise ValidationError(_("Yalnızca bu projenin görevleri zamanlanabilir: %(task)s değil.") % {"task": task_name})
    try:
        parsed_args, parsed_kwargs = json.loads(args or "[]"), json.loads(kwargs or "{}")
    except ValueError as exc:
        raise ValidationError(_("Argümanlar geçerli JSON değil: %(error)s") % {"error": exc}) from exc
    if not isinstance(parsed_args, list) or not isinstance(parsed_kwargs, dict):
        raise ValidationError(_("Konumsal argümanlar bir JSON listesi, adlı argümanlar bir JSON nesnesi olmalı."))
    signature = inspect.signature(task.run)
    try:
        bound = signature.bind(*parsed_args, **parsed_kwargs)
    except TypeError as exc:
        raise ValidationError(
            _("Argümanlar bu göreve uymuyor (%(signature)s): %(error)s") % {"signature": signature, "error": exc}
        ) from exc
    hints = _type_hints(task)
    for name, value in bound.arguments.items():
        if name in hints and not _fits(value, hints[name]):
            raise ValidationError(
                _("%(name)s argümanı %(type)s olmalı.") % {"name": name, "type": _type_name(hints[name])}
            )


def _type_hints(task: Task) -> dict[str, Any]:
    try:
        return typing.get_type_hints(task.run)
    except Exception:  # an annotation that does not resolve here: the arity check still holds
        return {}


def _fits(value: object, hint: Any) -> bool:
    origin, parameters = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, option) for option in parameters)
    if hint is type(None):
        return value is None
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint in (str, bool, dict, list):
        return isinstance(value, hint)
    if origin is list:
        return isinstance(value, list) and (not parameters or all(_fits(item, parameters[0]) for item in value))
    if origin is dict:
        return isinstance(value, dict)
    return True  # a type JSON cannot carry anyway (a model, a Task): the signature binding decided


def _type_name(hint: Any) -> str:
    return str(hint) if typing.get_origin(hint) else getattr(hint, "__name__", str(hint))
