from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from app.imports.forms import UploadForm
from app.imports.models import ImportFile
from app.imports.selectors import import_files
from app.imports.views import IMPORT_PERMISSION, choose, heading, report_context, start, upload_files


@admin.register(ImportFile)
class ImportFileAdmin(admin.ModelAdmin):
    list_display = (
        "file_name", "uploaded_by", "uploaded_at", "size_display", "competition", "status", "total_rows",
        "created_count", "updated_count", "unchanged_count", "rejected_count", "actions_column",
    )  # fmt: skip
    list_filter = ("status", "competition", "uploaded_at")
    search_fields = ("original_name", "sha256", "uploaded_by__username")
    list_select_related = ("uploaded_by", "competition")
    date_hierarchy = "uploaded_at"
    list_per_page = 50

    def get_queryset(self, request: HttpRequest):
        return import_files()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_view_permission(request, obj) or request.user.has_perm(IMPORT_PERMISSION)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # the record is a report; it changes only by importing

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) or request.user.has_perm(IMPORT_PERMISSION)

    @admin.display(description=_("boyut"), ordering="size")
    def size_display(self, import_file: ImportFile) -> str:
        return filesizeformat(import_file.size)

    @admin.display(description=_("dosya"), ordering="original_name")
    def file_name(self, import_file: ImportFile) -> str:
        # A 200-character name must not widen the list: cut by CSS, whole on hover.
        return format_html('<span class="mm-truncate" title="{}">{}</span>', import_file.original_name,
                           import_file.original_name)  # fmt: skip

    @admin.display(description=_("İşlem"))
    def actions_column(self, import_file: ImportFile) -> str:
        url = reverse("admin:imports_importfile_change", args=[import_file.pk])
        if import_file.status == ImportFile.Status.VALIDATED:
            text = gettext("Önizle ve içe aktar")
        elif import_file.status == ImportFile.Status.RUNNING:
            text = gettext("İlerlemeyi gör")
        else:
            text = gettext("Raporu gör")
        return format_html('<a class="button" href="{}">{}</a>', url, text)

    def get_urls(self):
        return [
            path(
                "<int:pk>/ice-aktar/",
                self.admin_site.admin_view(self.start_view),
                name="imports_importfile_start",
            ),
            path(
                "<int:pk>/eslestir/",
                self.admin_site.admin_view(self.mapping_view),
                name="imports_importfile_mapping",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None) -> HttpResponse:
        """Upload one or more files (replaces the model form: a file is added by uploading it)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            stored = upload_files(request, form)
            if len(stored) == 1:
                return redirect("admin:imports_importfile_change", stored[0].pk)
            return redirect("admin:imports_importfile_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Excel dosyası yükle"),
            "form": form,
            "max_mb": settings.IMPORT_MAX_UPLOAD_MB,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "imports/admin/upload.html", context)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        """Preview, confirm button, live progress and final report of one file."""
        import_file = get_object_or_404(ImportFile.objects.select_related("competition", "uploaded_by"), pk=object_id)
        if not self.has_view_permission(request, import_file):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": import_file,
            "title": heading(import_file),
            **report_context(import_file),
            "can_import": request.user.has_perm(IMPORT_PERMISSION),
            "start_url": reverse("admin:imports_importfile_start", args=[import_file.pk]),
            "mapping_url": reverse("admin:imports_importfile_mapping", args=[import_file.pk]),
            "status_url": reverse("imports:status", args=[import_file.pk]),
            "matches_url": reverse("admin:football_match_changelist") + "?source__exact=excel",
            **(extra_context or {}),
        }
        return TemplateResponse(request, "imports/admin/detail.html", context)

    def start_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST" or not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        get_object_or_404(ImportFile, pk=pk)
        start(request, pk)
        return redirect("admin:imports_importfile_change", pk)

    def mapping_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST" or not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        choose(request, pk)
        return redirect("admin:imports_importfile_change", pk)


import app.imports.undo_admin  # noqa: E402, F401  (registers the undo's admin)
