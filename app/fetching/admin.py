from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from app.fetching import selectors
from app.fetching.models import FetchFailure, FetchRun
from app.fetching.services import runs
from app.football.localized_names import format_percent


@admin.register(FetchRun)
class FetchRunAdmin(admin.ModelAdmin):
    list_display = ["id", "status", "kind", "progress", "total", "done", "failed", "pending", "started_by",
                    "trigger", "created_at"]  # fmt: skip
    list_filter = ["status", "kind", "trigger"]
    list_select_related = ["started_by"]
    search_fields = ["=id", "competition_code", "started_by__username"]
    date_hierarchy = "created_at"
    actions = ["retry_failed", "resume", "cancel"]
    change_list_template = "admin/fetching/fetchrun/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # runs start through "Yeni veri çekme", which also sends them to the workers

    def has_change_permission(self, request: HttpRequest, obj: FetchRun | None = None) -> bool:
        return False  # a run is changed by its workers only; operators act through the actions

    def has_start_fetch_run_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("fetching.start_fetch_run")

    @admin.display(description=_("İlerleme"))
    def progress(self, run: FetchRun) -> str:
        return format_html(
            '<progress max="100" value="{}"></progress> {}', run.progress_percent, format_percent(run.progress_percent)
        )

    def get_urls(self) -> list[URLPattern]:
        urls = [
            path("yeni/", self.admin_site.admin_view(self.start_view), name="fetching_fetchrun_start"),
        ]
        return urls + super().get_urls()

    # The fetch workflow lives on its own pages (app.fetching.views); the admin is a thin entry
    # to them, checking the same permissions first.
    def start_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_start_fetch_run_permission(request):
            raise PermissionDenied
        return redirect(reverse("fetching:start") + "?kaynak=yonetim")

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        run = self.get_object(request, unquote(object_id))  # None, not a 500, for "abc" or "1e309"
        if run is None:
            raise Http404
        return redirect("fetching:run", run_id=run.id)

    @admin.action(description=_("Başarısız olanları yeniden dene"), permissions=["start_fetch_run"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[FetchRun]) -> None:
        total = sum(runs.retry_failed(run_id=run.id) for run in queryset if selectors.run_actions(run)["retry_failed"])
        if not total:
            self.message_user(
                request, _("Seçilen veri çekmelerde yeniden denenecek başarısız maç yok."), messages.WARNING
            )
            return
        self.message_user(
            request,
            ngettext("%(n)d maç yeniden kuyruğa alındı.", "%(n)d maç yeniden kuyruğa alındı.", total) % {"n": total},
            messages.SUCCESS,
        )

    @admin.action(description=_("Bekleyenleri sürdür"), permissions=["start_fetch_run"])
    def resume(self, request: HttpRequest, queryset: QuerySet[FetchRun]) -> None:
        resumable = [run for run in queryset if selectors.run_actions(run)["resume"]]
        for run in resumable:
            runs.resume_run(run_id=run.id)
        if not resumable:
            self.message_user(request, _("Seçilen veri çekmelerin sürdürülecek bekleyen maçı yok."), messages.WARNING)
            return
        self.message_user(
            request,
            ngettext("%(n)d veri çekme sürdürülüyor.", "%(n)d veri çekme sürdürülüyor.", len(resumable))
            % {"n": len(resumable)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Durdur"), permissions=["start_fetch_run"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[FetchRun]) -> None:
        stopped = sum(runs.cancel_run(run_id=run.id) for run in queryset)
        if not stopped:
            # Never "0 … durduruldu": say why nothing happened.
            self.message_user(request, _("Seçilen veri çekmelerin hiçbiri çalışmıyordu; durdurulacak bir şey yok."),
                              messages.WARNING)  # fmt: skip
            return
        self.message_user(
            request,
            ngettext("%(n)d veri çekme durduruldu.", "%(n)d veri çekme durduruldu.", stopped) % {"n": stopped},
            messages.SUCCESS,
        )


@admin.register(FetchFailure)
class FetchFailureAdmin(admin.ModelAdmin):
    list_display = ["provider_id", "run", "reason", "detail", "http_status", "attempts", "permanent", "task_link"]
    list_filter = ["reason", "permanent"]
    list_select_related = ["run"]
    search_fields = ["=provider_id", "=run__id", "detail"]
    readonly_fields = [f.name for f in FetchFailure._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: FetchFailure | None = None) -> bool:
        return False

    @admin.display(description=_("görev"))
    def task_link(self, failure: FetchFailure) -> str:
        if not failure.task_id:
            return "-"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Flower</a>', selectors.flower_task_url(failure.task_id)
        )
