"""The fetch workflow's one home: start, follow and operate runs (the admin links here).

Every entry checks the admin's permissions: `view_fetchrun` (or change) to see a run,
`start_fetch_run` to start, stop, resume or retry one.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from app.fetching import selectors
from app.fetching.forms import StartFetchForm
from app.fetching.models import FetchRun
from app.fetching.services import runs


@login_required
@permission_required(selectors.START_PERMISSION, raise_exception=True)
def start_fetch(request: HttpRequest) -> HttpResponse:
    form = StartFetchForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        trigger = FetchRun.Trigger.ADMIN if request.GET.get("kaynak") == "yonetim" else FetchRun.Trigger.WEB
        run = form.start(user=request.user, trigger=trigger)
        messages.success(request, _("Veri çekme #%(id)s başlatıldı.") % {"id": run.id})
        return redirect("fetching:run", run_id=run.id)
    can_view = selectors.can_view_runs(request.user)
    recent = FetchRun.objects.select_related("started_by")[:10] if can_view else []
    return render(request, "fetching/start.html", {"form": form, "recent_runs": recent, "can_view": can_view})


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    if not selectors.can_view_runs(request.user):
        raise PermissionDenied
    run = get_object_or_404(FetchRun.objects.select_related("started_by"), pk=run_id)
    can_operate = selectors.can_operate_runs(request.user)
    return render(
        request,
        "fetching/run_detail.html",
        {
            "run": run,
            "status": selectors.run_status(run),
            "failures": selectors.run_failures(run.id),
            "flower_base": selectors.flower_base(),
            "flower_url": selectors.flower_task_url(run.task_id),
            "chunk_tasks": selectors.chunk_tasks(run.id),
            "actions": selectors.run_actions(run) if can_operate else {},
            "can_start": can_operate,
            "staff_links": request.user.is_staff,
        },
    )


# URL word → action of selectors.run_actions.
ACTIONS = {"durdur": "cancel", "surdur": "resume", "yeniden-dene": "retry_failed"}


@login_required
@require_POST
def run_action(request: HttpRequest, run_id: int, action: str) -> HttpResponse:
    """Stop, resume or retry one run; a button the run's state no longer allows says so."""
    if not selectors.can_operate_runs(request.user):
        raise PermissionDenied
    run = get_object_or_404(FetchRun, pk=run_id)
    action = ACTIONS[action]
    if not selectors.run_actions(run)[action]:
        messages.warning(request, _("Veri çekme #%(id)s şu an bu işleme uygun değil (%(status)s).")
                         % {"id": run.id, "status": run.get_status_display()})  # fmt: skip
        return redirect("fetching:run", run_id=run.id)
    if action == "cancel":
        runs.cancel_run(run_id=run.id)
        messages.success(request, _("Veri çekme #%(id)s durduruldu; bekleyen maçlar sürdürülebilir.") % {"id": run.id})
    elif action == "resume":
        runs.resume_run(run_id=run.id)
        messages.success(request, _("Veri çekme #%(id)s sürdürülüyor.") % {"id": run.id})
    else:
        count = runs.retry_failed(run_id=run.id)
        messages.success(
            request,
            ngettext("%(n)d maç yeniden kuyruğa alındı.", "%(n)d maç yeniden kuyruğa alındı.", count) % {"n": count},
        )
    return redirect("fetching:run", run_id=run.id)


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
