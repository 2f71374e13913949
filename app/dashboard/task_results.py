"""Read path of the "task result" page: a stored Celery result in words an operator reads."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _
from django_celery_results.models import TaskResult

# Every task of the project's apps (the `name=` of each @shared_task) in words, keyed by that name:
# tests/dashboard/test_task_results.py checks that it names exactly the registered tasks.
TASK_LABELS = {
    "football.recalculate_standings": _("Puan durumu hesaplama"),
    "football.recalculate_league_standings": _("Tüm lig puan durumlarını yenileme (zamanlanmış)"),
    "imports.run_import": _("Excel içe aktarma"),
    "imports.undo_import": _("Excel içe aktarmayı geri alma"),
    "imports.resume_stalled_imports": _("Takılan içe aktarmaları sürdürme"),
    "fetching.list_run_matches": _("Veri çekme: maç listesi"),
    "fetching.dispatch_run": _("Veri çekme: dağıtım"),
    "fetching.fetch_chunk": _("Veri çekme: maç grubu"),
    "fetching.resume_stalled_runs": _("Takılan veri çekmeleri sürdürme"),
    "fetching.daily_fetch": _("Günlük veri çekme"),
    "accounts.send_password_reset": _("Parola sıfırlama e-postası"),
    "accounts.send_lockout_notice": _("Hesap kilidi bildirimi"),
}
STATE_LABELS = {
    "PENDING": _("Bekliyor"),
    "RECEIVED": _("Alındı"),
    "STARTED": _("Çalışıyor"),
    "SUCCESS": _("Başarılı"),
    "FAILURE": _("Hatalı"),
    "RETRY": _("Yeniden denenecek"),
    "REVOKED": _("İptal edildi"),
}


@dataclass
class TaskSummary:
    task_id: str
    stored: bool  # False while the worker has not written a result yet
    label: str
    state: str
    state_label: str
    created: datetime | None = None
    started: datetime | None = None
    finished: datetime | None = None
    worker: str = ""
    result_items: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""
    traceback: str = ""

    @property
    def duration(self) -> timedelta | None:
        begin = self.started or self.created
        return self.finished - begin if begin and self.finished else None


def task_label(task_name: str | None) -> str:
    return str(TASK_LABELS.get(task_name or "", task_name or _("Bilinmeyen görev")))


def _items(value: object, prefix: str = "") -> list[tuple[str, str]]:
    """Flatten a task's JSON result into (key, value) lines."""
    if isinstance(value, dict):
        lines: list[tuple[str, str]] = []
        for key, inner in value.items():
            lines += _items(inner, f"{prefix}{key} › " if isinstance(inner, dict) else f"{prefix}{key}")
        return lines
    if isinstance(value, list):
        return [(prefix.removesuffix(" › ") or str(_("Sonuç")), ", ".join(map(str, value)))]
    return [(prefix.removesuffix(" › ") or str(_("Sonuç")), "–" if value is None else str(value))]


def task_summary(task_id: str) -> TaskSummary:
    result = TaskResult.objects.filter(task_id=task_id).first()
    if result is None:
        return TaskSummary(task_id=task_id, stored=False, label=task_label(None), state="PENDING",
                           state_label=str(STATE_LABELS["PENDING"]))  # fmt: skip
    try:
        data = json.loads(result.result) if result.result else None
    except (TypeError, ValueError):
        data = result.result
    failed = result.status == "FAILURE"
    error = ""
    if failed and isinstance(data, dict):
        error = f"{data.get('exc_type', '')}: {data.get('exc_message', '')}".strip(": ")
    return TaskSummary(
        task_id=task_id,
        stored=True,
        label=task_label(result.task_name),
        state=result.status,
        state_label=str(STATE_LABELS.get(result.status, result.status)),
        created=result.date_created,
        started=getattr(result, "date_started", None),
        finished=result.date_done if result.status in ("SUCCESS", "FAILURE", "REVOKED") else None,
        worker=result.worker or "",
        result_items=[] if failed or data is None else _items(data),
        error=error,
        traceback=result.traceback or "",
    )
