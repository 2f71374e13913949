"""`manage.py import_excel FILE`: the web import's pipeline (check, preview, import) for ops and cron."""

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from app.football.models import Competition
from app.imports.models import ImportFile
from app.imports.selectors import change_rows
from app.imports.services.columns import known_field
from app.imports.services.importing import UploadRejected, run_import, store_upload

USAGE_ERROR = 2


class Command(BaseCommand):
    help = (
        "Checks an .xlsx/.csv file of matches and imports it. Exit status 0: imported (or a dry run with nothing "
        "blocking), 1: refused or stopped before writing, 2: usage error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument("--dry-run", action="store_true", help="check and show the preview; write nothing")
        parser.add_argument(
            "--yes", action="store_true", help="confirm warnings and erased values (never applies a suggestion)"
        )
        parser.add_argument(
            "--map", action="append", default=[], metavar="HEADER=field",
            help="map a file header to a field (e.g. 'Ev Skr=home_score'; 'HEADER=' ignores it); repeatable",
        )  # fmt: skip
        parser.add_argument("--sheet", default="", help="the sheet to read (default: the first whose header fits)")
        parser.add_argument("--competition", default="", help="slug of the default competition (default super-lig)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--user", default="", help="user name recorded as the uploader")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Dosya bulunamadı: {path}").format(path=path), returncode=USAGE_ERROR)
        choices = {"columns": _parse_maps(options["map"]), "sheet": options["sheet"]}
        user_id = _user_id(options["user"])
        competition_id = _competition_id(options["competition"])
        uploaded = SimpleUploadedFile(path.name, path.read_bytes())
        try:
            import_file = store_upload(
                uploaded=uploaded, user_id=user_id, competition_id=competition_id, column_choices=choices
            )
        except UploadRejected as rejected:
            self._report({"status": "rejected", "error": rejected.message}, options)
            raise SystemExit(1) from None
        outcome = "refused"
        if import_file.status == ImportFile.Status.VALIDATED:
            if import_file.needs_confirmation and not options["yes"]:
                outcome = "stopped"
            elif options["dry_run"]:
                outcome = "checked"
            else:
                import_file = run_import(import_file_id=import_file.pk)
                outcome = "imported" if import_file.status == ImportFile.Status.DONE else "refused"
        self._report(_report(import_file, outcome, dry_run=options["dry_run"]), options)
        if outcome not in ("imported", "checked"):
            raise SystemExit(1)

    def _report(self, report: dict, options: dict) -> None:
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, default=str))
            return
        for line in _text_lines(report):
            self.stdout.write(line)


def _parse_maps(maps: list[str]) -> dict[str, str]:
    columns = {}
    for item in maps:
        header, sep, field = item.rpartition("=")
        header, field = header.strip(), field.strip()
        if not sep or not header:
            raise CommandError(
                _("--map HEADER=alan biçiminde olmalı: “{value}”.").format(value=item), returncode=USAGE_ERROR
            )
        if field and not known_field(field):
            raise CommandError(_("Bilinmeyen alan: “{field}”.").format(field=field), returncode=USAGE_ERROR)
        columns[header] = field
    return columns


def _user_id(name: str) -> int | None:
    if not name:
        return None
    user = get_user_model().objects.filter(username=name).first()
    if user is None:
        raise CommandError(_("Kullanıcı bulunamadı: “{name}”.").format(name=name), returncode=USAGE_ERROR)
    return user.id


def _competition_id(slug: str) -> int | None:
    if not slug:
        return None
    competition = Competition.objects.filter(slug=slug).first()
    if competition is None:
        raise CommandError(_("Bilinmeyen organizasyon: “{value}”.").format(value=slug), returncode=USAGE_ERROR)
    return competition.id


def _report(import_file: ImportFile, outcome: str, *, dry_run: bool) -> dict:
    counts = import_file.change_counts or {}
    return {
        "import_id": import_file.pk,
        "file": import_file.original_name,
        "status": import_file.status,
        "outcome": outcome,
        "dry_run": dry_run,
        "sheet": import_file.sheet_name,
        "error": import_file.error_message,
        "needs_confirmation": import_file.needs_confirmation,
        "counts": {
            "total": import_file.total_rows,
            "rejected": import_file.rejected_count,
            "new": counts.get("new", 0),
            "changed": counts.get("changed", 0),
            "unchanged": counts.get("unchanged", 0),
            "erasing": counts.get("erasing", 0),
            "created": import_file.created_count,
            "updated": import_file.updated_count,
        },
        "errors": import_file.row_errors,
        "warnings": [warning["message"] for warning in import_file.warnings],
        "suggestions": (import_file.column_mapping or {}).get("suggestions", []),
        "changes": [{**change, "fields": [list(f) for f in change["fields"]]} for change in change_rows(import_file)],
    }


def _text_lines(report: dict) -> list[str]:
    if report.get("status") == "rejected":
        return [report["error"]]
    counts = report["counts"]
    lines = [_("Dosya: {file} (içe aktarma {id})").format(file=report["file"], id=report["import_id"])]
    if report["sheet"]:
        lines.append(_("Sayfa: {sheet}").format(sheet=report["sheet"]))
    if report["error"]:
        lines.append(report["error"])
    else:
        lines.append(
            _(
                "{total} satır: {new} yeni, {changed} değişecek, {unchanged} değişmeyecek, {rejected} reddedildi."
            ).format(**counts)
        )
    for error in report["errors"]:
        lines.append(_("Satır {row}, {column}: {message}").format(**error))
    for warning in report["warnings"]:
        lines.append(_("Uyarı: {message}").format(message=warning))
    for change in report["changes"]:
        shown = "; ".join(f"{name}: {old or '—'} → {new or '—'}" for name, old, new in change["fields"])
        lines.append(
            _("Satır {row} ({id}): {changes}").format(row=change["row"], id=change["external_id"], changes=shown)
        )
    lines.append({
        "imported": _("İçe aktarıldı: {created} eklendi, {updated} güncellendi.").format(**counts),
        "checked": _("Deneme: hiçbir şey yazılmadı."),
        "stopped": _(
            "Uyarılar ya da silinecek değerler var; onaylamak için --yes ile çalıştırın. Hiçbir şey yazılmadı."
        ),
        "refused": _("Dosya reddedildi; hiçbir şey yazılmadı."),
    }[report["outcome"]])  # fmt: skip
    return lines
