"""The admin's list of uploads: a thin entry to the import pages (app.imports.views), which are the home.

"Add" opens the upload page and a row opens the file's page; both check the same model permissions
first, so an entry never lets through what the other refuses.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from app.imports import selectors
from app.imports.models import ImportFile


@admin.register(ImportFile)
class ImportFileAdmin(admin.ModelAdmin):
    list_display = (
        "file_name", "uploaded_by", "uploaded_at", "size_display", "competition", "status", "total_rows",
        "created_count", "updated_count", "unchanged_count", "rejected_count", "actions_column",
    )  # fmt: skip
    list_display_links = None  # the file's page is the import page: the button column links there
    list_filter = ("status", "competition", "uploaded_at")
    search_fields = ("original_name", "sha256", "uploaded_by__username")
    list_select_related = ("uploaded_by", "competition")
    date_hierarchy = "uploaded_at"
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[ImportFile]:
        return selectors.import_files()

    @admin.display(description=_("boyut"), ordering="size")
    def size_display(self, import_file: ImportFile) -> str:
        return filesizeformat(import_file.size)

    @admin.display(description=_("dosya"), ordering="original_name")
    def file_name(self, import_file: ImportFile) -> SafeString:
        # A 200-character name must not widen the list: cut by CSS, whole on hover.
        return format_html('<span class="mm-truncate" title="{}">{}</span>', import_file.original_name,
                           import_file.original_name)  # fmt: skip

    @admin.display(description=_("İşlem"))
    def actions_column(self, import_file: ImportFile) -> SafeString:
        url = reverse("imports:detail", args=[import_file.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, selectors.next_step(import_file))

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        return redirect("imports:upload")

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponseRedirect:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        import_file = self.get_object(request, unquote(object_id))  # None, not a 500, for "abc" or "1e309"
        if import_file is None:
            raise Http404
        return redirect("imports:detail", pk=import_file.pk)


import app.imports.undo_admin  # noqa: E402, F401  (registers the undo's admin)
