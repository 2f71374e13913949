"""The undo button of an import's page and the undo's progress endpoint."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from app.imports import selectors
from app.imports.models import ImportFile
from app.imports.services.undo import latest_undo, queue_undo, request_undo
from app.imports.undo_selectors import undo_status


@login_required
@permission_required(selectors.UNDO_PERMISSION, raise_exception=True)
@require_POST
def undo_page(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(ImportFile, pk=pk)
    undo = request_undo(import_file_id=pk, user_id=request.user.pk)
    if undo is None:
        messages.error(
            request, _("Bu içe aktarma şu an geri alınamaz (geri alınacak değişiklik yok ya da geri alma sürüyor).")
        )
    else:
        queue_undo(undo.id)
        messages.info(request, _("Geri alma arka planda başladı; ilerleme aşağıda görünüyor."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("imports:detail", pk=pk)


@login_required
@require_GET
def undo_status_json(request: HttpRequest, pk: int) -> JsonResponse:
    if not selectors.can_view_imports(request.user):
        raise PermissionDenied
    undo = latest_undo(pk)
    response = JsonResponse(undo_status(undo) if undo else {"status": "", "finished": True, "is_active": False})
    response["Cache-Control"] = "no-store"
    return response
