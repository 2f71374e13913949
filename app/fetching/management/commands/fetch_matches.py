import time
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from app.fetching import selectors
from app.fetching.models import FetchRun
from app.fetching.services import runs


class Command(BaseCommand):
    help = "Starts (or resumes) a fetch run: --ids-file FILE | --ids 1,2 | --competition TSL --date-from --date-to."

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--ids-file", type=Path, help="text file of provider match ids")
        source.add_argument("--ids", help="comma separated provider match ids")
        source.add_argument("--competition", help="competition code, e.g. TSL")
        source.add_argument("--resume", type=int, metavar="RUN_ID", help="re-dispatch the pending ids of a run")
        source.add_argument("--retry-failed", type=int, metavar="RUN_ID", help="retry the failed ids of a run")
        parser.add_argument("--date-from", type=date.fromisoformat)
        parser.add_argument("--date-to", type=date.fromisoformat)
        parser.add_argument("--season", type=int)
        parser.add_argument("--user", help="username recorded as the starter")
        parser.add_argument("--wait", action="store_true", help="follow the run until it ends")

    def handle(self, *args: Any, **options: Any) -> None:
        user_id = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("Kullanıcı bulunamadı: %(name)s") % {"name": options["user"]})
            user_id = user.id
        try:
            run_id = self._start(options, user_id)
        except runs.FetchRequestError as exc:
            raise CommandError(_("Geçersiz istek: %(detail)s") % {"detail": exc}) from exc
        self.stdout.write(_("Veri çekme #%(id)s") % {"id": run_id})
        if options["wait"]:
            self._follow(run_id)

    def _start(self, options: dict[str, Any], user_id: int | None) -> int:
        if options["resume"]:
            runs.resume_run(run_id=options["resume"])
            return options["resume"]
        if options["retry_failed"]:
            runs.retry_failed(run_id=options["retry_failed"])
            return options["retry_failed"]
        if options["competition"]:
            return runs.start_range_run(
                competition_code=options["competition"],
                date_from=options["date_from"],
                date_to=options["date_to"],
                season=options["season"],
                started_by_id=user_id,
                trigger=FetchRun.Trigger.COMMAND,
            ).id
        else:
            if options["ids_file"]:
                try:
                    text = options["ids_file"].read_text(encoding="utf-8-sig")
                except OSError as exc:
                    raise CommandError(str(exc)) from exc
            else:
                text = options["ids"]
            return runs.start_id_run(
                provider_ids=runs.parse_ids(text), started_by_id=user_id, trigger=FetchRun.Trigger.COMMAND
            ).id

    def _follow(self, run_id: int) -> None:
        while True:
            status = selectors.run_status(FetchRun.objects.get(pk=run_id))
            eta = "-" if status["eta_seconds"] is None else f"{status['eta_seconds']}s"
            self.stdout.write(
                f"{status['status_display']}: {status['done']}/{status['total']} ok, {status['failed']} failed, "
                f"{status['pending']} pending, {status['ids_per_minute'] or 0}/min, "
                f"ETA {eta}"
            )
            if not status["is_active"]:
                return
            time.sleep(5)
