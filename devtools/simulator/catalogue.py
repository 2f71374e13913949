"""The simulated provider's catalogue: the shipped real matches under fixed ids, a synthetic
catalogue computed from the id alone, the fixed lying ids, and their football-data v4 JSON."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[2] / "app" / "football" / "data"
SUPER_LIG_BASE = 1_000_000
INTERNATIONAL_BASE = 2_000_000
SYNTHETIC_BASE = 3_000_000
SYNTHETIC_COUNT = 5_000_000  # ids 3,000,001 to 8,000,000
SYNTHETIC_TEAMS = 400
SYNTHETIC_TEAM_BASE = 900_000  # provider team ids, apart from the shipped teams' 100…
SYNTHETIC_PER_SEASON = 2_000
COMPETITIONS = {
    "TSL": {"id": 2120, "name": "Süper Lig", "code": "TSL", "type": "LEAGUE", "emblem": None},
    "INT": {"id": 9000, "name": "Uluslararası Maçlar", "code": "INT", "type": "CUP", "emblem": None},
    "SYN": {"id": 9100, "name": "Sentetik Lig", "code": "SYN", "type": "CUP", "emblem": None},
}
AREAS = {
    "TSL": {"id": 2220, "name": "Turkey", "code": "TUR"},
    "INT": {"id": 2267, "name": "World", "code": "INT"},
    "SYN": {"id": 2268, "name": "Simulation", "code": "SIM"},
}

# Ids whose payloads lie, always, whatever the chaos settings: for tests of strict validation.
LYING_IDS = {
    990_000_001: "missing_home_team",
    990_000_002: "negative_score",
    990_000_003: "plays_itself",
    990_000_004: "garbage_json",
    990_000_005: "wrong_id",
    990_000_006: "finished_without_score",
}
# Ids whose payloads are well formed but hold what must not be stored (a poisoned record): the
# client accepts them, the ingestion's field checks refuse them, one by one.
POISONED_IDS = {
    990_000_101: "nul_in_team_name",
    990_000_102: "long_competition_code",
    990_000_103: "long_team_name",
    990_000_104: "bidi_in_venue",
}


@dataclass(frozen=True)
class SimMatch:
    id: int
    code: str
    date: str
    season_start: int
    home: str
    away: str
    home_score: int | None
    away_score: int | None
    goals: tuple = ()


@dataclass
class Catalogue:
    matches: dict[int, SimMatch]
    team_ids: dict[str, int]
    by_competition: dict[str, list[int]] = field(default_factory=dict)


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """Every shipped match with its simulator id: 1,000,001… Süper Lig, 2,000,001… internationals."""
    matches: dict[int, SimMatch] = {}
    goals: dict[tuple[str, str, str], list[tuple]] = {}
    with (DATA_DIR / "international_goalscorers.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            minute = int(row["minute"]) if row["minute"] not in ("", "NA") else None
            kind = (
                "OWN"
                if row["own_goal"].upper() == "TRUE"
                else "PENALTY"
                if row["penalty"].upper() == "TRUE"
                else "REGULAR"
            )
            scorer = "" if row["scorer"] == "NA" else row["scorer"]
            goals.setdefault((row["date"], row["home_team"], row["away_team"]), []).append(
                (row["team"], scorer, minute, kind)
            )
    with (DATA_DIR / "super_lig_1994_2024.csv").open(newline="", encoding="utf-8") as handle:
        for n, row in enumerate(csv.DictReader(handle), start=1):
            matches[SUPER_LIG_BASE + n] = SimMatch(
                SUPER_LIG_BASE + n,
                "TSL",
                row["Date"],
                int(row["Season"]),
                row["home"],
                row["visitor"],
                int(row["hgoal"]),
                int(row["vgoal"]),
            )
    seen: set[tuple[str, str, str]] = set()
    with (DATA_DIR / "international_results.csv").open(newline="", encoding="utf-8") as handle:
        for n, row in enumerate(csv.DictReader(handle), start=1):
            played = row["home_score"] not in ("", "NA")
            key = (row["date"], row["home_team"], row["away_team"])
            # A double-header's goals belong to its first match, as in the demo loader.
            match_goals = tuple(goals.get(key, ())) if key not in seen else ()
            seen.add(key)
            matches[INTERNATIONAL_BASE + n] = SimMatch(
                INTERNATIONAL_BASE + n,
                "INT",
                row["date"],
                int(row["date"][:4]),
                row["home_team"],
                row["away_team"],
                int(row["home_score"]) if played else None,
                int(row["away_score"]) if played else None,
                match_goals,
            )
    names = sorted({m.home for m in matches.values()} | {m.away for m in matches.values()})
    catalogue = Catalogue(matches=matches, team_ids={name: 100 + n for n, name in enumerate(names)})
    for match in matches.values():
        catalogue.by_competition.setdefault(match.code, []).append(match.id)
    return catalogue


def is_synthetic(provider_id: int) -> bool:
    return SYNTHETIC_BASE < provider_id <= SYNTHETIC_BASE + SYNTHETIC_COUNT


def synthetic_team(n: int) -> str:
    return f"Sentetik {n + 1:03d}"


SYNTHETIC_TEAM_IDS = {synthetic_team(n): SYNTHETIC_TEAM_BASE + n for n in range(SYNTHETIC_TEAMS)}


def synthetic_match(provider_id: int) -> SimMatch:
    """The synthetic match of an id: a pure function of the id (2,000 matches a season from 1950)."""
    k = provider_id - SYNTHETIC_BASE - 1
    digest = hashlib.blake2b(f"synthetic|{provider_id}".encode(), digest_size=8).digest()
    home = digest[0] * 256 + digest[1]
    away = (home + 1 + digest[2] % (SYNTHETIC_TEAMS - 1)) % SYNTHETIC_TEAMS
    season_start = 1950 + (k // SYNTHETIC_PER_SEASON) % 75
    day = date(season_start, 8, 1) + timedelta(days=(k % SYNTHETIC_PER_SEASON) * 300 // SYNTHETIC_PER_SEASON)
    return SimMatch(
        provider_id, "SYN", day.isoformat(), season_start, synthetic_team(home % SYNTHETIC_TEAMS),
        synthetic_team(away), digest[3] % 5, digest[4] % 4,
    )  # fmt: skip


def match_json(match: SimMatch, team_ids: dict[str, int], *, with_goals: bool = True) -> dict:
    winner = None
    if match.home_score is not None and match.away_score is not None:
        diff = match.home_score - match.away_score
        winner = "HOME_TEAM" if diff > 0 else "AWAY_TEAM" if diff < 0 else "DRAW"
    played = winner is not None
    season_start = f"{match.season_start}-08-01" if match.code == "TSL" else f"{match.season_start}-01-01"
    season_end = f"{match.season_start + 1}-05-31" if match.code == "TSL" else f"{match.season_start}-12-31"
    body = {
        "area": AREAS[match.code],
        "competition": COMPETITIONS[match.code],
        "season": {
            "id": match.season_start,
            "startDate": season_start,
            "endDate": season_end,
            "currentMatchday": None,
            "winner": None,
        },
        "id": match.id,
        # The shipped data has dates only; midnight UTC is how such feeds say "time unknown".
        "utcDate": f"{match.date}T00:00:00Z",
        "status": "FINISHED" if played else "SCHEDULED",
        "matchday": None,
        "stage": "REGULAR_SEASON",
        "group": None,
        "lastUpdated": f"{match.date}T23:59:00Z",
        "homeTeam": {"id": team_ids[match.home], "name": match.home, "shortName": match.home, "tla": None},
        "awayTeam": {"id": team_ids[match.away], "name": match.away, "shortName": match.away, "tla": None},
        "score": {
            "winner": winner,
            "duration": "REGULAR",
            "fullTime": {"home": match.home_score, "away": match.away_score},
            "halfTime": {"home": None, "away": None},
        },
        "venue": None,
    }
    if with_goals:
        body["goals"] = [
            {
                "minute": minute,
                "injuryTime": None,
                "type": kind,
                "team": {"id": team_ids[team], "name": team},
                "scorer": {"id": None, "name": scorer},
                "assist": None,
            }
            for team, scorer, minute, kind in match.goals
        ]
    return body


def lying_json(provider_id: int, lie: str, team_ids: dict[str, int]) -> dict | bytes:
    base = match_json(SimMatch(provider_id, "TSL", "2024-01-01", 2023, "Galatasaray", "Fenerbahce", 2, 1), team_ids)
    if lie == "missing_home_team":
        del base["homeTeam"]
    elif lie == "negative_score":
        base["score"]["fullTime"]["home"] = -1
    elif lie == "plays_itself":
        base["awayTeam"] = dict(base["homeTeam"])
    elif lie == "garbage_json":
        return b'{"id": 99, "homeTeam": {"name": "Galatas'
    elif lie == "wrong_id":
        base["id"] = provider_id + 1
    elif lie == "finished_without_score":
        base["score"]["fullTime"] = {"home": None, "away": None}
    elif lie == "nul_in_team_name":
        base["homeTeam"] = {**base["homeTeam"], "name": "Galata\x00saray"}
    elif lie == "long_competition_code":
        base["competition"] = {**base["competition"], "code": "TSL" * 10}
    elif lie == "long_team_name":
        base["awayTeam"] = {**base["awayTeam"], "name": "Fenerbahçe " * 20}
    elif lie == "bidi_in_venue":
        base["venue"] = "Stat\u202eyum"
    return base
