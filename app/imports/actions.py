"""The admin action that exports matches; registered on the football MatchAdmin."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext_lazy as _

from app.football.models import Match
from app.imports.selectors import EXPORT_PERMISSION
from app.imports.views import xlsx_response


@admin.action(description=_("Seçilen maçları Excel olarak indir"), permissions=["export"])
def export_matches_as_xlsx(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Match]
) -> FileResponse:
    return xlsx_response(queryset)


def has_export_permission(modeladmin: admin.ModelAdmin, request: HttpRequest) -> bool:
    return request.user.has_perm(EXPORT_PERMISSION)
