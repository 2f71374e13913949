"""The import workflow's one home: upload, preview, start, progress, undo and export (the admin links here).

Every entry checks the admin's permissions for an import (app.imports.selectors): view (or change) to
see files and reports, add to upload, change to choose the column mapping, `football.import_matches`
to start, `imports.undo_import` to undo, `football.export_matches` to export.
"""

import tempfile
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from app.football.models import Match
from app.football.selectors import MatchFilters, filtered_matches
from app.imports import selectors
from app.imports.forms import ExportForm, UploadForm
from app.imports.models import ImportFile
from app.imports.services.columns import field_choices
from app.imports.services.export import export_matches, write_template
from app.imports.services.importing import ConfirmationRequired, choose_columns, start_import
from app.imports.services.upload import store_uploads

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@permission_required(selectors.ADD_PERMISSION, raise_exception=True)
def upload_page(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        competition = form.cleaned_data.get("competition")
        notes = store_uploads(
            files=form.cleaned_data["files"],
            user_id=request.user.pk,
            competition_id=competition.id if competition else None,
        )
        for note in notes:
            (messages.error if note.is_error else messages.success)(request, note.text)
        stored = [note.import_file for note in notes if note.import_file is not None]
        if len(stored) == 1:
            return redirect("imports:detail", pk=stored[0].pk)
        return redirect("imports:upload")
    can_view = selectors.can_view_imports(request.user)
    files = selectors.import_files()[:50] if can_view else []
    context = {"form": form, "files": files, "can_view": can_view, "max_mb": settings.IMPORT_MAX_UPLOAD_MB}
    return render(request, "imports/page.html", context)


@login_required
def detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Preview, confirm button, live progress, final report and undo of one file."""
    if not selectors.can_view_imports(request.user):
        raise PermissionDenied
    import_file = get_object_or_404(ImportFile.objects.select_related("competition", "uploaded_by"), pk=pk)
    return render(request, "imports/detail.html", _report_context(request, import_file))


def _report_context(request: HttpRequest, import_file: ImportFile) -> dict[str, Any]:
    pk = import_file.pk
    return {
        "import_file": import_file,
        "heading": selectors.heading(import_file),
        "field_choices": field_choices(),
        "mapping_rows": selectors.mapping_rows(import_file),
        "change_rows": selectors.change_rows(import_file),
        "can_import": request.user.has_perm(selectors.START_PERMISSION),
        "can_choose": request.user.has_perm(selectors.CHANGE_PERMISSION),
        "start_url": reverse("imports:start", args=[pk]),
        "mapping_url": reverse("imports:mapping", args=[pk]),
        "status_url": reverse("imports:status", args=[pk]),
        "matches_url": reverse("admin:football_match_changelist") + "?source__exact=excel",
    }


@login_required
@permission_required(selectors.START_PERMISSION, raise_exception=True)
@require_POST
def start_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirm button."""
    get_object_or_404(ImportFile, pk=pk)
    try:
        import_file = start_import(import_file_id=pk, confirmed=request.POST.get("confirm") == "1")
    except ConfirmationRequired:
        messages.error(
            request,
            _("Uyarıları ya da silinecek değerleri gördüğünüzü onaylayan kutuyu işaretleyin; hiçbir şey yazılmadı."),
        )
        return redirect("imports:detail", pk=pk)
    if import_file.status == ImportFile.Status.RUNNING:
        messages.info(request, _("İçe aktarma arka planda başladı; ilerleme aşağıda görünüyor."))
    else:
        messages.error(request, _("Bu dosya şu an içe aktarılamaz ({status}).").format(
            status=import_file.get_status_display()
        ))  # fmt: skip
    return redirect("imports:detail", pk=pk)


@login_required
@permission_required(selectors.CHANGE_PERMISSION, raise_exception=True)
@require_POST
def mapping_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview's mapping form (did you mean …?) and sheet choice."""
    import_file = get_object_or_404(ImportFile, pk=pk)
    if not import_file.can_choose_columns:
        messages.error(request, _("Bu dosyanın eşleştirmesi artık değiştirilemez."))
        return redirect("imports:detail", pk=pk)
    headers = request.POST.getlist("header")
    fields = request.POST.getlist("field")
    columns = {header: field for header, field in zip(headers, fields, strict=False) if header}
    choose_columns(import_file_id=pk, columns=columns, sheet=request.POST.get("sheet", ""))
    messages.info(request, _("Seçtiğiniz eşleştirmeyle dosya yeniden kontrol edildi; hiçbir şey yazılmadı."))
    return redirect("imports:detail", pk=pk)


@login_required
@permission_required(selectors.ADD_PERMISSION, raise_exception=True)
@require_GET
def template_download(request: HttpRequest) -> FileResponse:
    """The template workbook, generated from the field table."""
    spool = tempfile.TemporaryFile()
    write_template(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename="mac-sablonu.xlsx", content_type=XLSX)


@login_required
@require_GET
def status_json(request: HttpRequest, pk: int) -> JsonResponse:
    if not selectors.can_view_imports(request.user):
        raise PermissionDenied
    import_file = get_object_or_404(ImportFile.objects.defer("row_errors", "preview_rows"), pk=pk)
    response = JsonResponse(selectors.import_status(import_file))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required(selectors.EXPORT_PERMISSION, raise_exception=True)
@require_GET
def export_page(request: HttpRequest) -> HttpResponseBase:
    form = ExportForm(request.GET or None)
    if "download" in request.GET and form.is_valid():
        data = form.cleaned_data
        matches = filtered_matches(
            MatchFilters(
                competition_id=data["competition"].id if data["competition"] else None,
                season_id=data["season"].id if data["season"] else None,
                team_name=data["team"],
                date_from=data["date_from"],
                date_to=data["date_to"],
            )
        )
        return xlsx_response(matches)
    return render(request, "imports/export.html", {"form": form})


def xlsx_response(matches: QuerySet[Match]) -> FileResponse:
    """Write to a temporary file (constant memory, whatever the number of matches) and stream it."""
    spool = tempfile.TemporaryFile()
    export_matches(matches, spool)
    spool.seek(0)
    name = f"maclar-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    return FileResponse(spool, as_attachment=True, filename=name, content_type=XLSX)
