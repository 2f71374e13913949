"""The task-result admin: our own page per result (status, duration, summary) instead of raw fields."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import PeriodicTaskAdmin as CeleryPeriodicTaskAdmin
from django_celery_beat.admin import PeriodicTaskForm as CeleryPeriodicTaskForm
from django_celery_beat.admin import TaskChoiceField, TaskSelectWidget
from django_celery_beat.models import PeriodicTask
from django_celery_results.admin import TaskResultAdmin as CeleryTaskResultAdmin
from django_celery_results.models import TaskResult

from app.dashboard import schedules, task_results

admin.site.unregister(TaskResult)
admin.site.unregister(PeriodicTask)


class TaskNameFilter(admin.SimpleListFilter):
    """Our task names in words (django-celery-beat's own filter is titled in untranslatable English)."""

    title = _("görev")
    parameter_name = "task"
    field_name: str  # the model's task-name column, set by each subclass

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        names = model_admin.get_queryset(request).order_by().values_list(self.field_name, flat=True).distinct()
        return sorted(((name, task_results.task_label(name)) for name in names if name), key=lambda c: c[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(**{self.field_name: self.value()}) if self.value() else queryset


class PeriodicTaskNameFilter(TaskNameFilter):
    field_name = "task"


class ResultTaskNameFilter(TaskNameFilter):
    field_name = "task_name"


class ProjectTaskSelectWidget(TaskSelectWidget):
    """Offers the project's own tasks only (django-celery-beat offers every registered one)."""

    def tasks_as_choices(self) -> tuple[tuple[str, str], ...]:
        names = schedules.schedulable_task_names()
        return (("", ""), *((name, f"{task_results.task_label(name)} ({name})") for name in names))


class PeriodicTaskForm(CeleryPeriodicTaskForm):
    regtask = TaskChoiceField(label=_("Görev"), required=False, widget=ProjectTaskSelectWidget)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            try:
                schedules.validate_schedule(
                    task_name=data["task"], args=data.get("args") or "[]", kwargs=data.get("kwargs") or "{}"
                )
            except ValidationError as exc:
                raise ValidationError(exc.messages) from exc
        return data


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(CeleryPeriodicTaskAdmin):
    form = PeriodicTaskForm
    list_filter = [PeriodicTaskNameFilter if name == "task" else name for name in CeleryPeriodicTaskAdmin.list_filter]

    @admin.action(description=_("Seçilen görevleri şimdi çalıştır"))
    def run_tasks(self, request: HttpRequest, queryset: QuerySet[PeriodicTask]) -> None:
        # A schedule stored before these rules (or by a superuser in the shell) runs only if it passes them.
        for periodic_task in queryset:
            try:
                schedules.validate_schedule(
                    task_name=periodic_task.task, args=periodic_task.args, kwargs=periodic_task.kwargs
                )
            except ValidationError as exc:
                self.message_user(request, f"{periodic_task.name}: {' '.join(exc.messages)}", messages.ERROR)
                return
        super().run_tasks(request, queryset)


@admin.register(TaskResult)
class TaskResultAdmin(CeleryTaskResultAdmin):
    list_display = ("summary_link", "state", "date_done", "worker")
    list_display_links = None
    date_hierarchy = None
    list_filter = ("status", ResultTaskNameFilter)

    @admin.display(description=_("Görev"), ordering="task_name")
    def summary_link(self, result: TaskResult) -> str:
        url = reverse("admin:django_celery_results_taskresult_summary", args=[result.task_id])
        return format_html('<a href="{}">{}</a>', url, task_results.task_label(result.task_name))

    @admin.display(description=_("Durum"), ordering="status")
    def state(self, result: TaskResult) -> str:
        return str(task_results.STATE_LABELS.get(result.status, result.status))

    def get_urls(self) -> list[URLPattern]:
        summary = path(
            "gorev/<str:task_id>/",
            self.admin_site.admin_view(self.summary_view),
            name="django_celery_results_taskresult_summary",
        )
        return [summary, *super().get_urls()]

    def summary_view(self, request: HttpRequest, task_id: str) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        summary = task_results.task_summary(task_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": summary.label,
            "summary": summary,
        }
        return TemplateResponse(request, "admin/django_celery_results/taskresult/summary.html", context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        result = self.get_object(request, unquote(object_id))  # None, not a 500, for "abc" or "1e309"
        if result is None:
            raise Http404
        return self.summary_view(request, result.task_id)
