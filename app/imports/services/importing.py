"""Upload → preview (dry run) → import: the write path of Excel files into matches.

A file that cannot be read as a whole writes nothing; a readable one stores every valid row
through `upsert_matches` (batch-wise transactions, idempotent) and reports the others.
"""

import hashlib
import logging
import threading
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from itertools import islice
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Now
from django.utils import timezone
from django.utils.translation import gettext as _

from app.football.competitions import SUPER_LIG, ensure_competition, ensure_known_competitions
from app.football.models import Competition, Match, Season
from app.football.seasons import calendar_for
from app.football.services.matches import MatchChange, MatchRecord, SeasonResolver, upsert_matches
from app.football.services.teams import TeamIndex, TeamResolver
from app.imports import dispatch
from app.imports.models import ImportFile
from app.imports.services.columns import MissingColumns, known_field, map_columns, recognised_fields
from app.imports.services.fields import REQUIRED
from app.imports.services.garbage import fewer_collections
from app.imports.services.preview import build_preview
from app.imports.services.reading import Table, UnreadableFile, detect_format, open_table
from app.imports.services.records import (
    build_records,
    default_tournament,
    keep_stored_competitions,
    kept_fields,
    national_competitions,
    status_for,
)
from app.imports.services.stored_files import local_copy, store_content
from app.imports.services.undo import ImportRecorder
from app.imports.services.validation import Analysis, analyse_table

logger = logging.getLogger(__name__)

ALLOWED_SUFFIXES = {".xlsx", ".xlsm", ".csv", ".xls"}
MAX_STORED_ERRORS = 1000
PREVIEW_ROWS = 20


class UploadRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def default_competition() -> Competition:
    return ensure_competition(SUPER_LIG)


def display_name(client_name: str) -> str:
    """The client's file name, reduced to something safe to show: no directories, no control characters."""
    name = PurePosixPath(client_name.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return name[-200:] or "dosya"


def store_upload(
    *,
    uploaded: UploadedFile,
    user_id: int | None,
    competition_id: int | None = None,
    column_choices: dict | None = None,
) -> ImportFile:
    """Save one upload under a generated name and check it at once (the preview is ready on return).

    `column_choices`: {"columns": {header: field}, "sheet": name} chosen by a person (`--map`).

    Raises UploadRejected for files that are not kept at all (too large, wrong kind).
    """
    original = display_name(uploaded.name or "")
    suffix = PurePosixPath(original.lower()).suffix
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadRejected(_("“{name}”: desteklenmeyen dosya türü. .xlsx ya da .csv yükleyin.").format(name=original))
    limit = settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024
    size = uploaded.size or 0  # Django's upload handlers always know it
    if size > limit:
        raise UploadRejected(
            _("“{name}” çok büyük ({size} MB); en fazla {limit} MB yüklenebilir.").format(
                name=original, size=round(size / 1048576, 1), limit=settings.IMPORT_MAX_UPLOAD_MB
            )
        )
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    competition = Competition.objects.get(pk=competition_id) if competition_id else default_competition()
    import_file = ImportFile(
        original_name=original,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by_id=user_id,
        competition=competition,
        column_choices=column_choices or {},
    )
    import_file.file.save(original, uploaded, save=False)  # upload_to replaces the name with a uuid
    with transaction.atomic():  # the record and the database's copy of its bytes, together
        import_file.save()
        store_content(import_file_id=import_file.id, content=uploaded)
    return validate_import_file(import_file_id=import_file.id)


def _analyse(import_file: ImportFile) -> tuple[Analysis, Table]:
    # Any host: the database holds the upload (stored_files); the path is gone after the block.
    with local_copy(import_file) as path:
        return _analyse_path(import_file, path)


def _analyse_path(import_file: ImportFile, path: Path) -> tuple[Analysis, Table]:
    file_format = detect_format(path, import_file.original_name)
    if import_file.file_format != file_format:
        ImportFile.objects.filter(pk=import_file.pk).update(file_format=file_format)
        import_file.file_format = file_format
    choices = import_file.column_choices or {}
    columns = {header: name for header, name in choices.get("columns", {}).items() if not name or known_field(name)}
    table = open_table(
        path,
        file_format=file_format,
        max_rows=settings.IMPORT_MAX_ROWS,
        max_unpacked_bytes=settings.IMPORT_MAX_UNPACKED_MB * 1024 * 1024,
        header_fits=lambda cells: _names_required(cells, columns),
        sheet=choices.get("sheet", ""),
    )
    mapping = map_columns(table.headers, columns, sheet=table.sheet_name)
    # Validation only reads: the competitions a file may name by themselves are created here, in the write path.
    ensure_known_competitions()
    analysis = analyse_table(table, mapping, competition=import_file.competition, max_errors=MAX_STORED_ERRORS)
    if analysis.total_rows == 0:
        raise UnreadableFile(_("Dosyada başlık satırından başka satır yok; içe aktarılacak maç bulunamadı."))
    keep_stored_competitions(analysis)
    return analysis, table


def _names_required(cells: list, columns: dict[str, str]) -> bool:
    """Whether a row can be the header: its cells name every required field (spellings or choices)."""
    chosen = {columns.get(str(cell).strip()) for cell in cells if cell is not None} - {None, ""}
    return set(REQUIRED) <= recognised_fields(cells) | chosen


def _fail(import_file: ImportFile, message: str, **extra: object) -> ImportFile:
    import_file.status = ImportFile.Status.FAILED
    import_file.error_message = message
    import_file.finished_at = timezone.now()
    for name, value in extra.items():
        setattr(import_file, name, value)
    import_file.save()
    return import_file


@fewer_collections
def validate_import_file(*, import_file_id: int) -> ImportFile:
    """Dry run: read and check the whole file, store the report and the preview; no match is written."""
    import_file = ImportFile.objects.select_related("competition").get(pk=import_file_id)
    try:
        analysis, table = _analyse(import_file)
    except MissingColumns as error:
        # Kept so the preview can offer the suggested mappings for the missing columns.
        cleared = {**_cleared_preview(), "column_mapping": error.mapping.as_json()}
        return _fail(import_file, error.message, finished_at=None, **cleared)
    except UnreadableFile as error:
        return _fail(import_file, error.message, finished_at=None, **_cleared_preview())
    preview = build_preview(analysis, table)
    import_file.status = ImportFile.Status.VALIDATED
    import_file.error_message = ""
    import_file.total_rows = analysis.total_rows
    import_file.rejected_count = analysis.rejected
    import_file.row_errors = analysis.errors
    import_file.column_mapping = {**analysis.mapping.as_json(), "sheets": table.fitting_sheets}
    import_file.sheet_name = table.sheet_name
    import_file.preview_rows = _preview(analysis, preview.teams)
    import_file.existing_rows = preview.counts["changed"] + preview.counts["unchanged"]
    import_file.change_counts = preview.counts
    import_file.changes = preview.changes
    import_file.warnings = preview.warnings
    import_file.needs_confirmation = preview.needs_confirmation
    import_file.save()
    return import_file


def _cleared_preview() -> dict:
    return {"column_mapping": {}, "preview_rows": [], "changes": [], "change_counts": {}, "warnings": [],
            "row_errors": [], "needs_confirmation": False}  # fmt: skip


def choose_columns(*, import_file_id: int, columns: dict[str, str], sheet: str = "") -> ImportFile:
    """A person's mapping choices (file header → field name, "" = ignore) and sheet; checks the file again."""
    columns = {header: name for header, name in columns.items() if not name or known_field(name)}
    ImportFile.objects.filter(pk=import_file_id).update(column_choices={"columns": columns, "sheet": sheet})
    return validate_import_file(import_file_id=import_file_id)


def _preview(analysis: Analysis, teams: TeamIndex) -> list[dict]:
    rows = analysis.rows[:PREVIEW_ROWS]
    stored = set(
        Match.objects.filter(external_id__in=[row.external_id for row in rows]).values_list("external_id", flat=True)
    )

    def team(name: str, national: bool) -> dict:
        team_id = teams.dry_run_id(name, national=national)
        return {"name": teams.new_teams.get(team_id) or teams.names[team_id], "new": team_id < 0}

    preview = []
    for row in rows:
        competition = analysis.competitions[row.competition_id]
        national = competition.kind == Competition.Kind.INTERNATIONAL
        plain = analysis.plain_of(row)
        preview.append(
            {
                "row": row.row,
                "external_id": row.external_id,
                "competition": competition.name,
                "season": calendar_for(competition).season_name(row.season_start),
                "date": row.date.isoformat(),
                "home": team(row.home, national),
                "away": team(row.away, national),
                "home_score": row.home_score,
                "away_score": row.away_score,
                "status": str(Match.Status(status_for(row)).label),
                "tournament": plain.get("tournament", default_tournament(competition)),
                "city": plain.get("city", ""),
                "exists": row.external_id in stored,
            }
        )
    return preview


class ConfirmationRequired(Exception):
    """The preview has warnings or erases stored values: a person must tick the box that says so."""


@transaction.atomic
def start_import(*, import_file_id: int, confirmed: bool = False) -> ImportFile:
    """Queue the import of a checked file (the confirm button); a file already running is left alone.

    Raises ConfirmationRequired when the preview needs the confirmation box and it was not ticked.
    """
    import_file = ImportFile.objects.select_for_update().get(pk=import_file_id)
    if not import_file.can_start:
        return import_file
    if import_file.needs_confirmation and not confirmed:
        raise ConfirmationRequired
    _reset(import_file)
    import_file.task_id = ""
    import_file.save()
    transaction.on_commit(lambda: _queue(import_file_id))
    return import_file


def _reset(import_file: ImportFile) -> None:
    """A new import of the file: counters from zero, no lease; the queue time counts as a sign of life."""
    import_file.status = ImportFile.Status.RUNNING
    import_file.processed_rows = import_file.created_count = import_file.updated_count = 0
    import_file.unchanged_count = 0
    import_file.started_at = import_file.finished_at = None
    import_file.error_message = import_file.lease = ""
    import_file.heartbeat_at = timezone.now()


def _queue(import_file_id: int) -> None:
    task_id = dispatch.send_import(import_file_id)
    ImportFile.objects.filter(pk=import_file_id, task_id="").update(task_id=task_id)


def resume_stalled_imports() -> list[int]:
    """Imports without a sign of life for IMPORT_STALLED_AFTER_SECONDS (their worker died or their
    message was lost): queued again; the task resumes each after its last committed batch."""
    limit = timezone.now() - timedelta(seconds=settings.IMPORT_STALLED_AFTER_SECONDS)
    stalled = ImportFile.objects.filter(status=ImportFile.Status.RUNNING).filter(
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, started_at__lt=limit)
        | Q(heartbeat_at__isnull=True, started_at__isnull=True)
    )  # fmt: skip
    resumed = []
    for import_file_id in stalled.values_list("id", flat=True):
        # Conditional: two beat ticks (or a staff click) racing resume it once.
        if (
            ImportFile.objects.filter(pk=import_file_id, status=ImportFile.Status.RUNNING)
            .filter(Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True))
            .update(heartbeat_at=timezone.now(), lease="", task_id="")
        ):
            logger.warning("resuming stalled import of file %s", import_file_id)
            _queue(import_file_id)
            resumed.append(import_file_id)
    return resumed


class LeaseLost(Exception):
    """Another execution took the import over (this one was presumed dead); stop writing."""


def claim(*, import_file_id: int, task_id: str = "") -> str | None:
    """Take the import's lease for a new execution: the file is queued to run and nobody holds the
    lease, or its holder has been silent for too long. Returns the lease, or None when another
    execution is alive or the file is not to be imported (done, failed, or never started)."""
    lease = uuid.uuid4().hex
    stale = timezone.now() - timedelta(seconds=settings.IMPORT_STALLED_AFTER_SECONDS)
    claimed = (
        ImportFile.objects.filter(pk=import_file_id, status=ImportFile.Status.RUNNING)
        .filter(Q(lease="") | Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True))
        .update(
            lease=lease,
            heartbeat_at=timezone.now(),
            started_at=Coalesce(F("started_at"), Now()),
            **({"task_id": task_id} if task_id else {}),
        )
    )
    return lease if claimed else None


def run_import(
    *,
    import_file_id: int,
    task_id: str = "",
    on_progress: Callable[[int], None] | None = None,
    on_changes: Callable[[list[MatchChange]], None] | None = None,
) -> ImportFile:
    """Import a file now, from scratch, in this process (a direct call: tests, the shell)."""
    with transaction.atomic():
        import_file = ImportFile.objects.select_for_update().get(pk=import_file_id)
        _reset(import_file)
        import_file.save()
    return continue_import(
        import_file_id=import_file_id, task_id=task_id, on_progress=on_progress, on_changes=on_changes
    )


@fewer_collections
def continue_import(
    *,
    import_file_id: int,
    task_id: str = "",
    on_progress: Callable[[int], None] | None = None,
    on_changes: Callable[[list[MatchChange]], None] | None = None,
) -> ImportFile:
    """Carry out a queued import: every valid row upserted in batches, each batch committed with
    its counts.

    The lease is claimed first: if an earlier execution died, this one goes on after its last
    committed batch, so the counts stay exact and no row is written twice; if another execution is
    alive, or the file is not queued (done, failed: say a message redelivered long after), nothing
    happens. Safe to run twice.

    on_changes gets the old and new values of every changed field, per batch inside its
    transaction (see football.services.matches.MatchChange); the import's undo recorder gets them
    anyway.
    """
    lease = claim(import_file_id=import_file_id, task_id=task_id)
    if lease is None:
        return ImportFile.objects.get(pk=import_file_id)
    import_file = ImportFile.objects.select_related("competition").get(pk=import_file_id)
    try:
        with _Heartbeat(import_file_id, lease):
            return _import(import_file, lease, on_progress, on_changes)
    except LeaseLost:
        logger.warning("import of file %s was taken over by another execution", import_file_id)
        return ImportFile.objects.get(pk=import_file_id)
    except Exception:
        logger.exception("import of file %s failed", import_file_id)
        import_file.refresh_from_db()
        _fail(import_file, _("İçe aktarma beklenmeyen bir hata ile durdu; yöneticinize haber verin."))
        raise


class _Heartbeat:
    """Renews the lease every sixth of IMPORT_STALLED_AFTER_SECONDS from a thread, so that long
    steps (reading a big workbook) never look like a dead worker."""

    def __init__(self, import_file_id: int, lease: str) -> None:
        self.import_file_id, self.lease = import_file_id, lease
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"import-{import_file_id}-heartbeat", daemon=True)

    def __enter__(self) -> "_Heartbeat":
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)

    def _beat(self) -> None:
        interval = max(1.0, settings.IMPORT_STALLED_AFTER_SECONDS / 6)
        try:
            while not self.stopped.wait(interval):
                try:
                    ImportFile.objects.filter(pk=self.import_file_id, lease=self.lease).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:  # a database hiccup: try again next time; batch commits renew it too
                    logger.warning("heartbeat of import %s failed", self.import_file_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection


def _import(
    import_file: ImportFile,
    lease: str,
    on_progress: Callable[[int], None] | None,
    on_changes: Callable[[list[MatchChange]], None] | None = None,
) -> ImportFile:
    import_file_id = import_file.pk
    try:
        analysis, _table = _analyse(import_file)  # local_copy checks the SHA-256 of what it reads
    except UnreadableFile as error:
        return _fail(import_file, error.message)

    # Valid rows an earlier execution of this import already committed (0 on a fresh start).
    committed = max(0, import_file.processed_rows - analysis.rejected)
    mine = ImportFile.objects.filter(pk=import_file_id, lease=lease)
    if not mine.update(
        total_rows=analysis.total_rows,
        processed_rows=analysis.rejected + committed,
        rejected_count=analysis.rejected,
        row_errors=analysis.errors,
        column_mapping=analysis.mapping.as_json(),
        heartbeat_at=timezone.now(),
    ):
        raise LeaseLost
    # Every import is undoable: its recorder keeps what each batch changed, in the batch's
    # transaction. Begun before _records() creates teams and seasons (see ImportRecorder.begin);
    # a resumed execution adds to the same record.
    recorder = ImportRecorder.begin(import_file_id=import_file_id)

    def changed(changes: list[MatchChange]) -> None:
        recorder.record(changes)
        if on_changes:
            on_changes(changes)

    keep = kept_fields(analysis)
    records = islice(_records(analysis), committed, None)
    while batch := list(islice(records, settings.IMPORT_BATCH_SIZE)):
        with transaction.atomic():
            counts = upsert_matches(batch, batch_size=len(batch), keep_fields=keep, on_changes=changed)
            # The batch and its counts commit together, or neither does (a lost lease rolls back).
            if not mine.update(
                processed_rows=F("processed_rows") + len(batch),
                created_count=F("created_count") + counts.created,
                updated_count=F("updated_count") + counts.updated,
                unchanged_count=F("unchanged_count") + counts.unchanged,
                heartbeat_at=timezone.now(),
            ):
                raise LeaseLost
        if on_progress:
            on_progress(len(batch))
    return _finish(import_file_id, lease, analysis)


def _finish(import_file_id: int, lease: str, analysis: Analysis) -> ImportFile:
    if not ImportFile.objects.filter(pk=import_file_id, lease=lease).update(
        status=ImportFile.Status.DONE, processed_rows=analysis.total_rows, finished_at=timezone.now()
    ):
        raise LeaseLost
    return ImportFile.objects.get(pk=import_file_id)


def _records(analysis: Analysis) -> Iterator[MatchRecord]:
    """MatchRecords of the valid rows; the teams and seasons they need are created first, in bulk."""
    national = national_competitions(analysis)
    resolvers = {True: TeamResolver(is_national=True), False: TeamResolver()}
    for is_national, resolver in resolvers.items():
        names = set()
        for row in analysis.rows:
            if (row.competition_id in national) == is_national:
                names.add(row.home)
                names.add(row.away)
        if names:
            resolver.prime(names)
    _create_seasons(analysis)
    seasons = {cid: SeasonResolver(c) for cid, c in analysis.competitions.items()}
    return build_records(
        analysis,
        team_id=lambda is_national, name: resolvers[is_national].id_for(name),
        season_id=lambda competition_id, year: seasons[competition_id].id_for(year),
    )


def _create_seasons(analysis: Analysis) -> None:
    """All seasons the file needs in one statement (SeasonResolver would ask once per season)."""
    needed = {(row.competition_id, row.season_start) for row in analysis.rows}
    stored = set(
        Season.objects.filter(competition_id__in=analysis.competitions).values_list("competition_id", "start_year")
    )
    missing = needed - stored
    if missing:
        Season.objects.bulk_create(
            [
                Season(
                    competition_id=cid,
                    start_year=year,
                    name=calendar_for(analysis.competitions[cid]).season_name(year),
                )
                for cid, year in sorted(missing)
            ],
            ignore_conflicts=True,  # another import created it meanwhile
        )
