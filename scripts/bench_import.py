#!/usr/bin/env python
"""Benchmark of the Excel importer on 50,000 real rows (PostgreSQL), against a naive baseline and a bare reference.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mm_bench_import scripts/bench_import.py [--rows 50000]
    scripts/bench_import.py --sizes 10000,50000,200000 --no-openpyxl   # time per row and memory across sizes

Uses its own database (default `mm_bench_import`, created and migrated here; its match tables are
emptied between phases). Each phase runs in a fresh child process so that its peak memory
(ru_maxrss, the whole process including Python and Django) is its own. Prints one table.

Phases
  parse-calamine / parse-openpyxl   reading every cell of the workbook, nothing else
  preview                           the dry run done at upload (read, map, validate, nothing written)
  importer-cold                     the project's importer (run_import, the Celery task's body) on an empty DB
  importer-again                    the same file once more: every row unchanged
  importer-unrecorded               with --recording-cost: importer-cold without the undo's recording
  undo                              undoing that import (run_undo, the undo task's body): every match it
                                    created deleted, the teams and seasons it created removed
  bare                              calamine + team/season ids + ONE bulk_create(update_conflicts=True,
                                    batch_size=5000), no checks
  naive                             pandas.read_excel + iterrows + update_or_create per row, on the first
                                    --naive-rows rows (default 5,000), extrapolated to the full file

importer-cold, importer-again, undo and bare run interleaved --repeat times (default 3); the best run of
each is compared, so a busy moment on a shared machine does not decide the ratio. With --sizes, every
size is measured in the same run and a last table gives each phase's time per row against the smallest
file's and its peak memory (issue 12: within ±20 %, < 300 MB at 200,000 rows).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from devtools.settle import settle_database  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/mm_bench_import"
WORK = ROOT / "var" / "bench-import"
IMPORT_TABLES = ("football_match", "football_team", "football_season", "imports_importfile")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
    os.environ["MEDIA_ROOT"] = str(WORK / "media")
    import django

    django.setup()


def peak_mb() -> float:
    """Peak resident memory of this process. VmHWM, not ru_maxrss: Linux carries ru_maxrss over an
    exec from the parent, so a child would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_matches() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE football_goal, football_match, football_teamalias, football_team, football_season, "
            "imports_importfile RESTART IDENTITY CASCADE"
        )


# --- phases (each runs in its own process) -----------------------------------------------------


def phase_parse_calamine(path: Path) -> dict:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return {"seconds": time.perf_counter() - start, "rows": len(rows) - 1}


def phase_parse_openpyxl(path: Path) -> dict:
    from openpyxl import load_workbook

    start = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return {"seconds": time.perf_counter() - start, "rows": rows - 1}


def _import_file_id(path: Path) -> int:
    from django.core.files import File

    from app.imports.models import ImportFile
    from app.imports.services.importing import default_competition

    import_file = ImportFile.objects.order_by("id").first()
    if import_file is None:
        import_file = ImportFile(original_name=path.name, size=path.stat().st_size, competition=default_competition())
        with path.open("rb") as handle:
            import_file.file.save(path.name, File(handle), save=False)
        import_file.save()
    return import_file.id


def phase_preview(path: Path) -> dict:
    from app.imports.services.importing import validate_import_file

    reset_matches()
    import_file_id = _import_file_id(path)
    settle_database(IMPORT_TABLES)
    start = time.perf_counter()
    result = validate_import_file(import_file_id=import_file_id)
    return {"seconds": time.perf_counter() - start, "rows": result.total_rows, "rejected": result.rejected_count}


def phase_importer(path: Path, *, cold: bool) -> dict:
    from app.imports.services.importing import run_import

    if cold:
        reset_matches()
    import_file_id = _import_file_id(path)
    settle_database(IMPORT_TABLES)
    start = time.perf_counter()
    result = run_import(import_file_id=import_file_id)
    seconds = time.perf_counter() - start
    assert result.status == "done", result.error_message
    return {
        "seconds": seconds,
        "rows": result.total_rows,
        "note": f"created {result.created_count}, updated {result.updated_count}, "
        f"unchanged {result.unchanged_count}, rejected {result.rejected_count}",
    }


def phase_importer_unrecorded(path: Path) -> dict:
    """importer-cold with the undo's recording switched off: what being undoable costs the import."""
    from unittest import mock

    from app.imports.services.undo import ImportRecorder

    with mock.patch.object(ImportRecorder, "record", lambda self, changes: None):
        result = phase_importer(path, cold=True)
    result["note"] = result["note"].split(";")[0] + ", undo recording off"
    return result


def phase_undo(path: Path) -> dict:
    """Undo of the import the previous phase left (run_undo, the Celery task's body)."""
    from app.imports.services.undo import request_undo, run_undo

    undo = request_undo(import_file_id=_import_file_id(path), user_id=None)
    assert undo is not None, "no import to undo"
    settle_database(IMPORT_TABLES)
    start = time.perf_counter()
    result = run_undo(undo_id=undo.id)
    seconds = time.perf_counter() - start
    assert result.status == "done", result.error_message
    return {
        "seconds": seconds,
        "rows": result.total,
        "note": f"deleted {result.deleted}, restored {result.restored}, kept {result.kept}, "
        f"teams removed {result.teams_removed}",
    }


# A row of the bench workbook (written by app/imports/services/samples.py), as calamine reads it:
# Organizasyon, Sezon, Tarih, Ev Sahibi, Deplasman, Ev Skoru, Deplasman Skoru (a number or ""),
# Turnuva, Şehir, Ülke, Tarafsız Saha.
BareRow = tuple[str, int, date, str, str, int | str, int | str, str, str, str, bool]


def _bare_matches(path: Path) -> list:
    """The workbook's rows as unsaved Match objects: calamine, then team and season ids in bulk, no checks."""
    from python_calamine import CalamineWorkbook

    from app.football.models import Competition, Match, Season, Team
    from app.football.naming import name_key, stable_external_id, team_slug

    cells = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]
    # Excel has no dates before 1900 (calamine reads the 1872-1899 internationals as times): the
    # importer refuses those rows, the reference skips them.
    # calamine types a cell as any of its value types; the workbook's columns are known (BareRow).
    rows = cast("list[BareRow]", [row for row in cells if isinstance(row[2], date)])
    competitions = {c.name: c for c in Competition.objects.all()}
    names = {row[3] for row in rows} | {row[4] for row in rows}
    Team.objects.bulk_create(
        [Team(name=n, key=name_key(n), slug=f"{team_slug(n)}-{i}") for i, n in enumerate(sorted(names))],
        ignore_conflicts=True,
    )
    team_ids = dict(Team.objects.values_list("name", "id"))
    season_keys = {(row[0], int(row[1])) for row in rows}
    Season.objects.bulk_create(
        [Season(competition=competitions[c], start_year=y, name=str(y)) for c, y in season_keys], ignore_conflicts=True
    )
    season_ids = {(s.competition.name, s.start_year): s.id for s in Season.objects.select_related("competition")}
    matches = []
    for n, row in enumerate(rows):
        match_date = row[2]
        matches.append(
            Match(
                external_id=stable_external_id(match_date, row[3], row[4], n + 1),
                season_id=season_ids[(row[0], int(row[1]))],
                date=match_date,
                home_team_id=team_ids[row[3]],
                away_team_id=team_ids[row[4]],
                home_score=None if row[5] == "" else int(row[5]),
                away_score=None if row[6] == "" else int(row[6]),
                tournament=row[7],
                city=row[8],
                country=row[9],
                neutral=bool(row[10]),
                source=Match.Source.EXCEL,
            )
        )
    return matches


def phase_bare(path: Path) -> dict:
    from app.football.models import Match
    from app.football.services.matches import COMPARED_FIELDS

    reset_matches()
    settle_database(IMPORT_TABLES)
    start = time.perf_counter()
    matches = _bare_matches(path)
    # One call, batched like the importer (5,000), because a single 50,000-row statement is slower on
    # PostgreSQL (a reference that is easy to beat would prove nothing).
    Match.objects.bulk_create(
        matches,
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["external_id"],
        update_fields=[*COMPARED_FIELDS, "updated_at"],
    )
    return {"seconds": time.perf_counter() - start, "rows": len(matches)}


def phase_floor(path: Path) -> dict:
    """The physical floor of a cold import: calamine, team and season ids, one PostgreSQL COPY."""
    from django.db import connection, transaction
    from django.utils import timezone

    from app.football.models import Match

    reset_matches()
    settle_database(IMPORT_TABLES)
    start = time.perf_counter()
    matches = _bare_matches(path)
    columns = [
        "external_id", "season_id", "date", "home_team_id", "away_team_id", "home_score", "away_score", "status",
        "tournament", "venue", "city", "country", "neutral", "source", "created_at", "updated_at",
    ]  # fmt: skip
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        sql = f"COPY {Match._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for m in matches:
                copy.write_row(
                    (m.external_id, m.season_id, m.date, m.home_team_id, m.away_team_id, m.home_score, m.away_score,
                     m.status, m.tournament, m.venue, m.city, m.country, m.neutral, m.source, now, now)
                )  # fmt: skip
    return {"seconds": time.perf_counter() - start, "rows": len(matches)}


def phase_naive(path: Path) -> dict:
    """The classic tutorial: pandas read_excel, iterrows, get_or_create / update_or_create per row."""
    import pandas

    from app.football.models import Competition, Match, Season, Team
    from app.football.naming import name_key, stable_external_id, team_slug

    reset_matches()
    settle_database(IMPORT_TABLES)
    start = time.perf_counter()
    frame = pandas.read_excel(path)
    for _index, row in frame.iterrows():
        competition = Competition.objects.get(name=row["Organizasyon"])
        season, _ = Season.objects.get_or_create(
            competition=competition, start_year=int(row["Sezon"]), defaults={"name": str(row["Sezon"])}
        )
        home, _ = Team.objects.get_or_create(
            key=name_key(row["Ev Sahibi"]), defaults={"name": row["Ev Sahibi"], "slug": team_slug(row["Ev Sahibi"])}
        )
        away, _ = Team.objects.get_or_create(
            key=name_key(row["Deplasman"]), defaults={"name": row["Deplasman"], "slug": team_slug(row["Deplasman"])}
        )
        match_date = row["Tarih"].date()
        Match.objects.update_or_create(
            external_id=stable_external_id(match_date, row["Ev Sahibi"], row["Deplasman"]),
            defaults={
                "season": season,
                "date": match_date,
                "home_team": home,
                "away_team": away,
                "home_score": None if pandas.isna(row["Ev Skoru"]) else int(row["Ev Skoru"]),
                "away_score": None if pandas.isna(row["Deplasman Skoru"]) else int(row["Deplasman Skoru"]),
                "tournament": row["Turnuva"],
                "source": Match.Source.EXCEL,
            },
        )
    return {"seconds": time.perf_counter() - start, "rows": len(frame)}


PHASES = {
    "parse-calamine": lambda path: phase_parse_calamine(path),
    "parse-openpyxl": lambda path: phase_parse_openpyxl(path),
    "preview": lambda path: phase_preview(path),
    "importer-cold": lambda path: phase_importer(path, cold=True),
    "importer-again": lambda path: phase_importer(path, cold=False),
    "importer-unrecorded": lambda path: phase_importer_unrecorded(path),
    "undo": lambda path: phase_undo(path),
    "bare": lambda path: phase_bare(path),
    "floor": lambda path: phase_floor(path),
    "naive": lambda path: phase_naive(path),
}


def run_child(phase: str, path: Path) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--file", str(path)],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def prepare(sizes: list[int], naive_rows: int) -> tuple[list[Path], Path]:
    import psycopg
    from django.core.management import call_command

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    setup_django()
    call_command("migrate", verbosity=0)
    from app.football.competitions import ensure_known_competitions
    from app.imports.services import samples

    ensure_known_competitions()
    WORK.mkdir(parents=True, exist_ok=True)
    # v3: the same mix of league matches and internationals at every size (scaling_sample_rows),
    # so that time per row compares sizes, not kinds of rows.
    files = [WORK / f"bench_{rows}_v3.xlsx" for rows in sizes]
    for rows, path in zip(sizes, files, strict=True):
        if not path.exists():
            samples.write_xlsx(samples.scaling_sample_rows(rows), str(path), headers=samples.FULL_HEADERS)
    small = WORK / f"bench_naive_{naive_rows}.xlsx"
    if not small.exists():
        samples.write_xlsx(samples.large_sample_rows(naive_rows), str(small), headers=samples.FULL_HEADERS)
    return files, small


LABELS = {
    "parse-calamine": "parse only: python-calamine",
    "parse-openpyxl": "parse only: openpyxl read-only",
    "preview": "importer preview (dry run, upload time)",
    "importer-cold": "importer, cold database",
    "importer-again": "importer, re-import unchanged file",
    "undo": "undo of that import (run_undo)",
    "importer-unrecorded": "importer, cold, undo recording off",
    "bare": "bare reference (calamine + 1 bulk_create)",
    "floor": "floor (calamine + ids + 1 COPY)",
    "naive": "naive pandas + iterrows + update_or_create",
}
# Phases whose time per row must not grow with the file (issue 12: within ±20 % across sizes).
SCALED = ("preview", "importer-cold", "importer-again", "undo", "bare")


def measure(path: Path, rows: int, naive: dict, args: argparse.Namespace) -> dict[str, dict]:
    """Every phase on one workbook; the compared ones interleaved, --repeat times, best run counts."""
    size = path.stat().st_size / 1048576
    print(f"workbook: {path} ({size:.1f} MB, {rows:,} rows); database {os.environ['DATABASE_URL']}")
    results = {}
    parse_phases = ("parse-calamine",) if args.no_openpyxl else ("parse-calamine", "parse-openpyxl")
    for phase in (*parse_phases, "preview"):
        results[phase] = run_child(phase, path)
        print(f"  {phase}: {results[phase]['seconds']:.2f} s", flush=True)
    runs: dict[str, list[dict]] = {"importer-cold": [], "importer-again": [], "undo": [], "bare": [], "floor": []}
    if args.recording_cost:
        runs["importer-unrecorded"] = []
    for _round in range(args.repeat):
        for phase in runs:
            runs[phase].append(run_child(phase, path))
            print(f"  {phase}: {runs[phase][-1]['seconds']:.2f} s", flush=True)
    for phase, phase_runs in runs.items():
        best = min(phase_runs, key=lambda result: result["seconds"])
        best["peak_mb"] = max(result["peak_mb"] for result in phase_runs)
        times = ", ".join(f"{result['seconds']:.1f}" for result in phase_runs)
        best["note"] = (best.get("note", "") + f"; best of {len(phase_runs)} runs ({times} s)").lstrip("; ")
        results[phase] = best
    naive_rate = naive["rows"] / naive["seconds"]
    results["naive"] = {
        "rows": rows,
        "seconds": rows / naive_rate,
        "peak_mb": naive["peak_mb"],
        "note": f"measured on {naive['rows']:,} rows in {naive['seconds']:.1f} s, extrapolated to {rows:,}",
    }
    return results


def print_size(results: dict[str, dict]) -> None:
    print()
    print(f"{'phase':<44} {'seconds':>8} {'rows/s':>9} {'peak MB':>8}  note")
    print("-" * 110)
    for phase, label in LABELS.items():
        if phase not in results:
            continue
        result = results[phase]
        rate = result["rows"] / result["seconds"] if result["seconds"] else 0
        print(
            f"{label:<44} {result['seconds']:>8.2f} {rate:>9,.0f} {result['peak_mb']:>8.0f}  {result.get('note', '')}"
        )
    cold, again, bare, undo, naive, floor = (
        results[name] for name in ("importer-cold", "importer-again", "bare", "undo", "naive", "floor")
    )
    print()
    print(f"importer vs floor (COPY):    {cold['seconds'] / floor['seconds']:.2f}x the time (issue 20: <= 1.5x)")
    print(f"re-import vs floor (COPY):   {again['seconds'] / floor['seconds']:.2f}x the time (issue 20: <= 0.5x)")
    print(f"bare reference vs floor:     {bare['seconds'] / floor['seconds']:.2f}x the time")
    print(f"importer vs naive:           {naive['seconds'] / cold['seconds']:.1f}x faster (target >= 30x)")
    print(f"importer vs bare reference:  {cold['seconds'] / bare['seconds']:.2f}x the time (target <= 1.5x)")
    print(f"re-import vs cold import:    {again['seconds'] / cold['seconds']:.2f}x the time (target <= 1.0x)")
    print(f"importer peak memory:        {max(cold['peak_mb'], again['peak_mb']):.0f} MB (target < 300 MB)")
    print(
        f"undo of {undo['rows']:,} rows:       {undo['seconds']:.2f} s vs import {cold['seconds']:.2f} s: "
        f"{undo['seconds'] / cold['seconds']:.2f}x the time (target <= 2x)"
    )
    if "importer-unrecorded" in results:
        unrecorded = results["importer-unrecorded"]["seconds"]
        print(f"undo recording's cost:       {cold['seconds'] / unrecorded:.2f}x the import without it")
    print()


def print_scaling(by_size: dict[int, dict[str, dict]]) -> None:
    """Time per row of each size against the smallest, and peak memory per size."""
    sizes = sorted(by_size)
    smallest = by_size[sizes[0]]
    print("scaling: microseconds per row (ratio to the smallest file; target within ±20 %), peak MB (< 300)")
    print(f"{'phase':<44} " + " ".join(f"{size:>22,}" for size in sizes))
    print("-" * (45 + 23 * len(sizes)))
    for phase in SCALED:
        base = smallest[phase]["seconds"] / smallest[phase]["rows"]
        cells = []
        for size in sizes:
            result = by_size[size][phase]
            per_row = result["seconds"] / result["rows"]
            cells.append(f"{per_row * 1e6:>7.0f} µs {per_row / base:>5.2f}x {result['peak_mb']:>4.0f}MB")
        print(f"{LABELS[phase]:<44} " + " ".join(f"{cell:>22}" for cell in cells))
    worst = max(
        abs(
            (by_size[size][phase]["seconds"] / by_size[size][phase]["rows"])
            / (smallest[phase]["seconds"] / smallest[phase]["rows"])
            - 1
        )
        for phase in ("preview", "importer-cold", "importer-again")
        for size in sizes
    )
    peak = max(by_size[sizes[-1]][phase]["peak_mb"] for phase in ("preview", "importer-cold", "importer-again"))
    print(f"worst time-per-row drift of preview/import/re-import: {worst * 100:.0f} % (target <= 20 %)")
    print(f"peak memory at {sizes[-1]:,} rows (preview, import, re-import): {peak:.0f} MB (target < 300 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--sizes", help="comma-separated row counts run side by side, e.g. 10000,50000,200000")
    parser.add_argument("--naive-rows", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the importer and bare phases (best counts)")
    parser.add_argument(
        "--recording-cost", action="store_true", help="also run the cold import without the undo's recording"
    )
    parser.add_argument("--no-openpyxl", action="store_true", help="skip the openpyxl parse phase (slow)")
    parser.add_argument("--phase", choices=PHASES)
    parser.add_argument("--file")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)

    if args.phase:  # child process
        setup_django()
        result = PHASES[args.phase](Path(args.file))
        result["peak_mb"] = peak_mb()
        print(json.dumps(result))
        return

    sizes = [int(size) for size in args.sizes.split(",")] if args.sizes else [args.rows]
    # The row cap must not refuse the benchmark's own files (the importer reads it from the settings).
    os.environ["IMPORT_MAX_ROWS"] = str(max(int(os.environ.get("IMPORT_MAX_ROWS", 0)), *sizes))
    files, small = prepare(sizes, args.naive_rows)
    naive = run_child("naive", small)
    print(f"naive baseline: {naive['rows']:,} rows in {naive['seconds']:.1f} s")
    by_size = {}
    for rows, path in zip(sizes, files, strict=True):
        by_size[rows] = measure(path, rows, naive, args)
        print_size(by_size[rows])
    if len(sizes) > 1:
        print_scaling(by_size)


if __name__ == "__main__":
    main()
