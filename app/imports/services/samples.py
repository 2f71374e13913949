"""Example workbooks built from the shipped real data (app/football/data): for staff, tests and benchmarks."""

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from app.football.competitions import INTERNATIONAL, SUPER_LIG
from app.football.naming import stable_external_id
from app.football.services.demo_data import INTERNATIONAL_CSV, SUPER_LIG_CSV
from app.imports.services.export import write_xlsx

SEED_HEADERS = ["match_id", "home_team", "away_team", "home_score", "away_score", "match_date"]
FULL_HEADERS = ["Organizasyon", "Sezon", "Tarih", "Ev Sahibi", "Deplasman", "Ev Skoru", "Deplasman Skoru",
                "Turnuva", "Şehir", "Ülke", "Tarafsız Saha"]  # fmt: skip


def super_lig_rows() -> Iterator[dict[str, str]]:
    with SUPER_LIG_CSV.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def international_rows() -> Iterator[dict[str, str]]:
    with INTERNATIONAL_CSV.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _score(text: str) -> int | None:
    return None if text in ("", "NA") else int(text)


def small_sample_rows(season: int = 2023) -> list[list]:
    """One Süper Lig season in the seed's column layout, with the same ids the demo data uses."""
    rows = []
    for row in super_lig_rows():
        if int(row["Season"]) != season:
            continue
        match_date = date.fromisoformat(row["Date"])
        rows.append([stable_external_id(match_date, row["home"], row["visitor"]), row["home"], row["visitor"],
                     int(row["hgoal"]), int(row["vgoal"]), match_date])  # fmt: skip
    return rows


def large_sample_rows(total: int = 50_000) -> list[list]:
    """Every Süper Lig match, then the most recent internationals up to `total` rows; beyond the
    shipped data (about 59,000 rows), copies of the internationals whose teams carry the copy's
    number ("Brazil 2"), so that every row is a match of its own."""
    rows = _shipped_sample_rows(total)
    internationals = [row for row in rows if row[0] == INTERNATIONAL.name]
    copy = 1
    while internationals and len(rows) < total:
        copy += 1
        for row in internationals[: total - len(rows)]:
            rows.append([*row[:3], f"{row[3]} {copy}", f"{row[4]} {copy}", *row[5:]])
    return rows


def scaling_sample_rows(total: int) -> list[list]:
    """`total` rows with the same mix at every size, for measuring how time per row scales.

    `large_sample_rows` starts with every Süper Lig match, so its 10,000-row file is league
    matches only and its 200,000-row file mostly internationals: comparing the two would compare
    kinds of rows, not sizes. Here every size holds the shipped rows (both competitions, in date
    order) evenly spread: below their number an evenly spaced selection, beyond it whole numbered
    copies ("Brazil 2") and an evenly spaced part of one more."""
    shipped = sorted(_shipped_sample_rows(10**9), key=lambda row: row[2])
    rows: list[list] = []
    copy = 1
    while len(rows) < total:
        wanted = min(total - len(rows), len(shipped))
        for n in range(wanted):
            row = shipped[n * len(shipped) // wanted]
            rows.append(row if copy == 1 else [*row[:3], f"{row[3]} {copy}", f"{row[4]} {copy}", *row[5:]])
        copy += 1
    return rows


def _shipped_sample_rows(total: int) -> list[list]:
    rows = []
    for row in super_lig_rows():
        rows.append([SUPER_LIG.name, int(row["Season"]), date.fromisoformat(row["Date"]), row["home"],
                     row["visitor"], int(row["hgoal"]), int(row["vgoal"]), "Süper Lig", "", "Türkiye",
                     False])  # fmt: skip
    internationals = list(international_rows())
    for row in internationals[max(0, len(internationals) - (total - len(rows))) :]:
        match_date = date.fromisoformat(row["date"])
        rows.append([INTERNATIONAL.name, match_date.year, match_date, row["home_team"], row["away_team"],
                     _score(row["home_score"]), _score(row["away_score"]), row["tournament"], row["city"],
                     row["country"], row["neutral"].upper() == "TRUE"])  # fmt: skip
    return rows[:total]


def with_errors(rows: list[list]) -> list[list]:
    """The small sample plus one row of each kind of mistake (seed layout)."""
    bad = [
        ["hata-1", "Galatasaray", "Fenerbahçe", "üç", 1, date(2024, 3, 1)],
        ["hata-2", "Beşiktaş", "Trabzonspor", -1, 0, date(2024, 3, 2)],
        ["hata-3", "Göztepe", "Goztepe", 1, 1, date(2024, 3, 3)],
        ["hata-4", "Sivasspor", "Konyaspor", 0, 0, "2024-02-30"],
        [rows[0][0], "Kasımpaşa", "Alanyaspor", 2, 2, date(2024, 3, 4)],
    ]
    return rows + bad


def write_small_sample(path: Path) -> int:
    return write_xlsx(small_sample_rows(), str(path), headers=SEED_HEADERS)


def write_large_sample(path: Path, total: int = 50_000) -> int:
    return write_xlsx(large_sample_rows(total), str(path), headers=FULL_HEADERS)


def write_error_sample(path: Path) -> int:
    return write_xlsx(with_errors(small_sample_rows()), str(path), headers=SEED_HEADERS)
