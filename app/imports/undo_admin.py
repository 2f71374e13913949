"""The admin's record of undos: who undid which import, when, with what result (read-only)."""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from app.imports.models import ImportUndo


@admin.register(ImportUndo)
class ImportUndoAdmin(admin.ModelAdmin):
    list_display = (
        "import_link", "status", "requested_by", "requested_at", "finished_at", "total", "deleted", "restored",
        "kept", "teams_removed", "seasons_removed",
    )  # fmt: skip
    list_filter = ("status", "requested_at")
    search_fields = ("import_file__original_name", "requested_by__username")
    list_select_related = ("import_file", "requested_by")
    readonly_fields = [field.name for field in ImportUndo._meta.fields]
    date_hierarchy = "recorded_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # an undo is recorded by the import and started from its page

    def has_change_permission(self, request: HttpRequest, obj: ImportUndo | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ImportUndo | None = None) -> bool:
        return False  # the record of what was undone stays

    @admin.display(description=_("Excel yüklemesi"), ordering="import_file__original_name")
    def import_link(self, undo: ImportUndo) -> SafeString:
        url = reverse("imports:detail", args=[undo.import_file_id])
        return format_html('<a href="{}">{}</a>', url, undo.import_file.original_name)
