"""Loads the shipped real match data (see app/football/data/README.md) idempotently."""

import csv
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from app.football.competitions import INTERNATIONAL, SUPER_LIG, ensure_competition
from app.football.models import Goal, Match
from app.football.naming import stable_external_id
from app.football.services.data_version import data_changed
from app.football.services.identity import identified
from app.football.services.matches import MatchRecord, SeasonResolver, UpsertCounts, upsert_matches
from app.football.services.teams import TeamResolver

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SUPER_LIG_CSV = DATA_DIR / "super_lig_1994_2024.csv"
INTERNATIONAL_CSV = DATA_DIR / "international_results.csv"
GOALSCORERS_CSV = DATA_DIR / "international_goalscorers.csv"


@dataclass
class DemoLoadReport:
    super_lig: UpsertCounts
    international: UpsertCounts
    goals_created: int
    goals_total: int


def load_demo_data(*, log: Callable[[str], None] = lambda message: None, limit: int | None = None) -> DemoLoadReport:
    """Load Süper Lig 1994-2025 and the international results with their goals.

    `limit` keeps only the first rows of each file (tests that need some data, not all of it).
    """
    super_lig = load_super_lig(limit)
    log(f"Süper Lig: {super_lig.as_dict()}")
    international = load_international(limit)
    log(f"International: {international.as_dict()}")
    created, total = load_goalscorers()
    log(f"Goals: created={created} total={total}")
    return DemoLoadReport(super_lig=super_lig, international=international, goals_created=created, goals_total=total)


def _rows(path: Path, limit: int | None) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        for n, row in enumerate(csv.DictReader(handle)):
            if limit is not None and n >= limit:
                return
            yield row


def load_super_lig(limit: int | None = None) -> UpsertCounts:
    seasons = SeasonResolver(ensure_competition(SUPER_LIG))
    teams = TeamResolver()

    def records() -> Iterator[MatchRecord]:
        for row in _rows(SUPER_LIG_CSV, limit):
            match_date = date.fromisoformat(row["Date"])
            yield MatchRecord(
                external_id=stable_external_id(match_date, row["home"], row["visitor"]),
                season_id=seasons.id_for(int(row["Season"])),
                date=match_date,
                home_team_id=teams.id_for(row["home"]),
                away_team_id=teams.id_for(row["visitor"]),
                home_score=int(row["hgoal"]),
                away_score=int(row["vgoal"]),
                tournament="Süper Lig",
                country="Türkiye",
                source=Match.Source.DEMO,
            )

    return upsert_matches(identified(records()))


def load_international(limit: int | None = None) -> UpsertCounts:
    seasons = SeasonResolver(ensure_competition(INTERNATIONAL))
    teams = TeamResolver(is_national=True)

    def records() -> Iterator[MatchRecord]:
        seen: Counter[str] = Counter()
        for row in _rows(INTERNATIONAL_CSV, limit):
            match_date = date.fromisoformat(row["date"])
            played = row["home_score"] not in ("", "NA")
            base_id = stable_external_id(match_date, row["home_team"], row["away_team"])
            seen[base_id] += 1
            yield MatchRecord(
                external_id=stable_external_id(match_date, row["home_team"], row["away_team"], seen[base_id]),
                season_id=seasons.id_for(seasons.calendar.season_for(match_date)),
                date=match_date,
                home_team_id=teams.id_for(row["home_team"]),
                away_team_id=teams.id_for(row["away_team"]),
                home_score=int(row["home_score"]) if played else None,
                away_score=int(row["away_score"]) if played else None,
                status=Match.Status.FINISHED if played else Match.Status.SCHEDULED,
                tournament=row["tournament"],
                city=row["city"],
                country=row["country"],
                neutral=row["neutral"].upper() == "TRUE",
                source=Match.Source.DEMO,
            )

    return upsert_matches(identified(records()))


def load_goalscorers() -> tuple[int, int]:
    """Goals of the international matches; only for matches already stored."""
    match_ids = dict(Match.objects.filter(external_id__startswith="m-").values_list("external_id", "id"))
    teams = TeamResolver(is_national=True)
    existing = set(Goal.objects.values_list("match_id", "sequence"))
    sequence_of: dict[int, int] = {}
    new_goals: list[Goal] = []
    total = 0
    for row in _rows(GOALSCORERS_CSV, None):
        match_id = match_ids.get(
            stable_external_id(date.fromisoformat(row["date"]), row["home_team"], row["away_team"])
        )
        if match_id is None:
            continue
        sequence = sequence_of[match_id] = sequence_of.get(match_id, 0) + 1
        total += 1
        if (match_id, sequence) in existing:
            continue
        new_goals.append(
            Goal(
                match_id=match_id,
                sequence=sequence,
                team_id=teams.id_for(row["team"]),
                scorer="" if row["scorer"] == "NA" else row["scorer"],
                minute=int(row["minute"]) if row["minute"] not in ("", "NA") else None,
                own_goal=row["own_goal"].upper() == "TRUE",
                penalty=row["penalty"].upper() == "TRUE",
            )
        )
    with transaction.atomic():
        Goal.objects.bulk_create(new_goals, batch_size=2000, ignore_conflicts=True)
    if new_goals:
        data_changed()  # bulk_create sends no signals
    return len(new_goals), total
