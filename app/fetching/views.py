from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from app.fetching import selectors
from app.fetching.forms import StartFetchForm
from app.fetching.models import FetchRun


@login_required
@permission_required("fetching.start_fetch_run", raise_exception=True)
def start_fetch(request: HttpRequest) -> HttpResponse:
    form = StartFetchForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = form.start(user=request.user, trigger=FetchRun.Trigger.WEB)
        messages.success(request, _("Veri çekme #%(id)s başlatıldı.") % {"id": run.id})
        return redirect("fetching:run", run_id=run.id)
    recent = FetchRun.objects.select_related("started_by")[:10]
    return render(request, "fetching/start.html", {"form": form, "recent_runs": recent})


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    if not selectors.can_view_runs(request.user):
        raise PermissionDenied
    run = get_object_or_404(FetchRun.objects.select_related("started_by"), pk=run_id)
    return render(
        request,
        "fetching/run_detail.html",
        {
            "run": run,
            "status": selectors.run_status(run),
            "failures": selectors.run_failures(run.id),
            "flower_base": selectors.flower_base(),
        },
    )


@require_GET
def run_status_json(request: HttpRequest, run_id: int) -> JsonResponse:
    # Scripts get JSON errors, not a redirect to the login page.
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Giriş yapmanız gerekiyor.")}, status=401)
    if not selectors.can_view_runs(request.user):
        return JsonResponse({"error": _("Bu işlem için yetkiniz yok.")}, status=403)
    run = FetchRun.objects.filter(pk=run_id).first()
    if run is None:
        return JsonResponse({"error": _("Veri çekme bulunamadı.")}, status=404)
    return JsonResponse(selectors.run_status(run))
