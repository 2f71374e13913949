"""`{% import_undo import_file %}`: the undo box of an import's page."""

from django import template
from django.urls import reverse

from app.imports.models import ImportFile
from app.imports.selectors import UNDO_PERMISSION
from app.imports.services.undo import can_undo, latest_undo
from app.imports.undo_selectors import KEPT_SHOWN, kept_matches

register = template.Library()


@register.inclusion_tag("imports/_undo.html", takes_context=True)
def import_undo(context: template.Context, import_file: ImportFile) -> dict:
    request = context["request"]
    undo = latest_undo(import_file.pk)
    history = list(import_file.undos.exclude(pk=undo.pk).exclude(requested_at=None)) if undo else []
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "undo": undo,
        "history": history,
        "can_request": can_undo(import_file, undo) and request.user.has_perm(UNDO_PERMISSION),
        "undo_url": reverse("imports:undo", args=[import_file.pk]),
        "status_url": reverse("imports:undo_status", args=[import_file.pk]),
        "kept": list(kept_matches(undo)[:KEPT_SHOWN]) if undo and undo.kept else [],
        "kept_shown": KEPT_SHOWN,
    }
