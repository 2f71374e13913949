"""The plain web pages of the import (for staff without the admin): upload, preview, start, progress, export."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from app.football.selectors import MatchFilters, filtered_matches
from app.imports.forms import ExportForm, UploadForm
from app.imports.models import ImportFile
from app.imports.selectors import import_files, import_status
from app.imports.services.columns import field_choices
from app.imports.services.export import export_matches, write_template
from app.imports.services.importing import (
    ConfirmationRequired,
    UploadRejected,
    choose_columns,
    start_import,
    store_upload,
)

IMPORT_PERMISSION = "football.import_matches"
EXPORT_PERMISSION = "football.export_matches"


def upload_files(request: HttpRequest, form: UploadForm) -> list[ImportFile]:
    """Store every file of a valid upload form; shared by this page and the admin."""
    competition = form.cleaned_data.get("competition")
    stored = []
    for uploaded in form.cleaned_data["files"]:
        try:
            import_file = store_upload(
                uploaded=uploaded, user_id=request.user.id, competition_id=competition.id if competition else None
            )
        except UploadRejected as rejected:
            messages.error(request, rejected.message)
            continue
        stored.append(import_file)
        if import_file.status == ImportFile.Status.FAILED:
            messages.error(
                request,
                _("“{name}” içe aktarılamaz: {error}").format(
                    name=import_file.original_name, error=import_file.error_message
                ),
            )
        else:
            messages.success(
                request,
                _(
                    "“{name}” yüklendi: {valid} geçerli, {rejected} hatalı satır. Önizlemeyi kontrol edip onaylayın."
                ).format(
                    name=import_file.original_name, valid=import_file.valid_rows, rejected=import_file.rejected_count
                ),
            )
    return stored


@login_required
@permission_required(IMPORT_PERMISSION, raise_exception=True)
def upload_page(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        stored = upload_files(request, form)
        if len(stored) == 1:
            return redirect("imports:detail", pk=stored[0].pk)
        return redirect("imports:upload")
    return render(request, "imports/page.html", {"form": form, "files": import_files()[:50]})


@login_required
@permission_required(IMPORT_PERMISSION, raise_exception=True)
def detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    import_file = get_object_or_404(ImportFile.objects.select_related("competition", "uploaded_by"), pk=pk)
    return render(
        request,
        "imports/detail.html",
        {
            **report_context(import_file),
            "start_url": reverse("imports:start", args=[pk]),
            "mapping_url": reverse("imports:mapping", args=[pk]),
            "status_url": reverse("imports:status", args=[pk]),
            "matches_url": reverse("admin:football_match_changelist") + "?source__exact=excel",
        },
    )


def report_context(import_file: ImportFile) -> dict:
    """What the report template needs besides the URLs; shared by this page and the admin."""
    headings = {status: text.format(name=import_file.original_name) for status, text in heading_texts().items()}
    return {
        "import_file": import_file,
        "field_choices": field_choices(),
        "heading": heading(import_file),
        "headings": headings,
    }


def heading(import_file: ImportFile) -> str:
    """The page heading follows the file's state: preview, importing, imported, undone, failed."""
    name = import_file.original_name
    # The undo (issue 9, item 8) marks a reverted import with `is_undone`; the status stays "done".
    if getattr(import_file, "is_undone", False):
        return _("Geri alındı: {name}").format(name=name)
    texts = {
        ImportFile.Status.RUNNING: _("İçe aktarılıyor: {name}"),
        ImportFile.Status.DONE: _("İçe aktarıldı: {name}"),
        ImportFile.Status.FAILED: _("İçe aktarılamadı: {name}"),
    }
    return texts.get(import_file.status, _("Önizleme: {name}")).format(name=name)


def heading_texts() -> dict[str, str]:
    """Heading per status for the progress script, which swaps it when the state changes."""
    return {
        "running": _("İçe aktarılıyor: {name}"),
        "done": _("İçe aktarıldı: {name}"),
        "failed": _("İçe aktarılamadı: {name}"),
    }


@login_required
@permission_required(IMPORT_PERMISSION, raise_exception=True)
@require_POST
def start_page(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(ImportFile, pk=pk)
    start(request, pk)
    return redirect("imports:detail", pk=pk)


def start(request: HttpRequest, pk: int) -> ImportFile | None:
    """The confirm button of both the page and the admin."""
    try:
        import_file = start_import(import_file_id=pk, confirmed=request.POST.get("confirm") == "1")
    except ConfirmationRequired:
        messages.error(
            request,
            _("Uyarıları ya da silinecek değerleri gördüğünüzü onaylayan kutuyu işaretleyin; hiçbir şey yazılmadı."),
        )
        return None
    if import_file.status == ImportFile.Status.RUNNING:
        messages.info(request, _("İçe aktarma arka planda başladı; ilerleme aşağıda görünüyor."))
    else:
        messages.error(request, _("Bu dosya şu an içe aktarılamaz ({status}).").format(
            status=import_file.get_status_display()
        ))  # fmt: skip
    return import_file


@login_required
@permission_required(IMPORT_PERMISSION, raise_exception=True)
@require_POST
def mapping_page(request: HttpRequest, pk: int) -> HttpResponse:
    choose(request, pk)
    return redirect("imports:detail", pk=pk)


def choose(request: HttpRequest, pk: int) -> ImportFile:
    """The preview's mapping form (did you mean …?) and sheet choice, for the page and the admin."""
    import_file = get_object_or_404(ImportFile, pk=pk)
    if not import_file.can_choose_columns:
        messages.error(request, _("Bu dosyanın eşleştirmesi artık değiştirilemez."))
        return import_file
    headers = request.POST.getlist("header")
    fields = request.POST.getlist("field")
    columns = {header: field for header, field in zip(headers, fields, strict=False) if header}
    import_file = choose_columns(import_file_id=pk, columns=columns, sheet=request.POST.get("sheet", ""))
    messages.info(request, _("Seçtiğiniz eşleştirmeyle dosya yeniden kontrol edildi; hiçbir şey yazılmadı."))
    return import_file


@login_required
@permission_required(IMPORT_PERMISSION, raise_exception=True)
@require_GET
def template_download(request: HttpRequest) -> FileResponse:
    """The template workbook, generated from the field table."""
    spool = tempfile.TemporaryFile()
    write_template(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename="mac-sablonu.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@permission_required(IMPORT_PERMISSION, raise_exception=True)
@require_GET
def status_json(request: HttpRequest, pk: int) -> JsonResponse:
    import_file = get_object_or_404(ImportFile.objects.defer("row_errors", "preview_rows"), pk=pk)
    response = JsonResponse(import_status(import_file))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required(EXPORT_PERMISSION, raise_exception=True)
@require_GET
def export_page(request: HttpRequest) -> HttpResponse:
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


def xlsx_response(matches) -> FileResponse:
    """Write to a temporary file (constant memory, whatever the number of matches) and stream it."""
    spool = tempfile.TemporaryFile()
    export_matches(matches, spool)
    spool.seek(0)
    name = f"maclar-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    return FileResponse(
        spool,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
