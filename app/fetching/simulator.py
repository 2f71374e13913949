"""A simulated football-data.org v4 server for development, tests and benchmarks.

It serves the real matches shipped in app/football/data (Süper Lig and internationals, with the
international goalscorers) under deterministic integer ids, and misbehaves on purpose the way
a real API does: a global per-minute quota answered with 429 + `Retry-After`, random 5xx, random
429s, slow answers and hangs longer than any sane client timeout, ids that do not exist (404),
and a few fixed "lying" ids whose payloads cannot be true. Chaos is deterministic for a given
seed: the fate of the n-th request for a URL depends only on (seed, URL, n), not on timing.

`speed_factor` scales time: a "minute" of quota lasts 60 / speed_factor seconds and
`Retry-After` is scaled (and then may be fractional) the same way, so a benchmark can show an
hour of quota-bound fetching in minutes.

Beyond the shipped matches it serves a synthetic catalogue (ids 3,000,001…, competition "SYN"):
every id's match is computed from the id alone (teams, date, score), so a run of any size is
real work and the same id always gets the same answer. `/_ids?count=N` lists the shipped ids
first and then synthetic ones, up to N (never silently fewer).

Counters are served at `/_stats` (JSON), reset with `POST /_reset`; `/_ids?competition=TSL&count=N`
lists valid ids.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

DATA_DIR = Path(__file__).resolve().parent.parent / "football" / "data"
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
    played = match.home_score is not None
    if played:
        diff = match.home_score - match.away_score
        winner = "HOME_TEAM" if diff > 0 else "AWAY_TEAM" if diff < 0 else "DRAW"
    else:
        winner = None
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
    return base


@dataclass
class ChaosConfig:
    quota: int = 1200  # requests per (scaled) minute, 0 = unlimited
    error_rate: float = 0.0  # 500/502/503
    rate_429: float = 0.0  # random 429s besides the quota
    timeout_rate: float = 0.0  # hang for `hang_seconds`
    unknown_rate: float = 0.0  # share of real ids answered 404 anyway
    slow_ms: int = 0  # added to every answer
    hang_seconds: float = 15.0
    speed_factor: float = 1.0
    seed: int = 1
    token: str = ""  # required X-Auth-Token when set


class SimulatorState:
    def __init__(self, config: ChaosConfig) -> None:
        self.config = config
        self.catalogue = load_catalogue()
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.window_index = 0
        self.window_count = 0
        self.window_max = 0
        self.counters: Counter[str] = Counter()
        self.attempts: Counter[str] = Counter()

    @property
    def window_seconds(self) -> float:
        return 60.0 / self.config.speed_factor

    def reset(self) -> None:
        with self.lock:
            self.counters.clear()
            self.attempts.clear()
            self.window_max = 0

    def admit(self) -> tuple[bool, float, int]:
        """Count a request against the fixed per-minute window: (admitted, seconds to reset, left)."""
        with self.lock:
            elapsed = time.monotonic() - self.started
            index = int(elapsed // self.window_seconds)
            if index != self.window_index:
                self.window_index, self.window_count = index, 0
            reset_in = (index + 1) * self.window_seconds - elapsed
            quota = self.config.quota
            if quota and self.window_count >= quota:
                return False, reset_in, 0
            self.window_count += 1
            self.window_max = max(self.window_max, self.window_count)
            return True, reset_in, (quota - self.window_count) if quota else 9999

    def draw(self, key: str) -> float:
        """A number in [0, 1) fixed by (seed, key, how many times key was asked before)."""
        with self.lock:
            self.attempts[key] += 1
            n = self.attempts[key]
        digest = hashlib.blake2b(f"{self.config.seed}|{key}|{n}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**64

    def is_unknown(self, provider_id: int) -> bool:
        if provider_id not in self.catalogue.matches and not is_synthetic(provider_id):
            return True
        digest = hashlib.blake2b(f"{self.config.seed}|unknown|{provider_id}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**64 < self.config.unknown_rate

    def match_body(self, provider_id: int, *, with_goals: bool = True) -> dict:
        if is_synthetic(provider_id):
            return match_json(synthetic_match(provider_id), SYNTHETIC_TEAM_IDS, with_goals=with_goals)
        return match_json(self.catalogue.matches[provider_id], self.catalogue.team_ids, with_goals=with_goals)

    def count(self, name: str) -> None:
        with self.lock:
            self.counters[name] += 1

    def stats(self) -> dict:
        with self.lock:
            return {
                **self.counters,
                "window_max": self.window_max,
                "quota": self.config.quota,
                "window_seconds": self.window_seconds,
                "speed_factor": self.config.speed_factor,
            }

    def retry_after_header(self, seconds: float) -> str:
        # Real servers send whole seconds; scaled time needs fractions, which our client accepts.
        if self.config.speed_factor == 1:
            return str(max(1, math.ceil(seconds)))
        return f"{max(seconds, 0.001):.3f}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without this, delayed ACKs add 40 ms per answer.
    disable_nagle_algorithm = True
    server_version = "MacMerkeziSimulatedProvider/1.0"
    state: SimulatorState  # set on the subclass made by make_server

    def log_message(self, format, *args):  # quiet: thousands of requests a minute
        pass

    def _send(self, status: int, body: dict | bytes, headers: dict[str, str] | None = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout); nothing to tell anyone

    def do_POST(self):
        if urlsplit(self.path).path == "/_reset":
            self.state.reset()
            return self._send(200, {"reset": True})
        return self._send(405, {"message": "Method not allowed"})

    def do_GET(self):
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        path = parts.path.rstrip("/")
        state = self.state
        if path == "/_stats":
            return self._send(200, state.stats())
        if path == "/_ids":
            code = query.get("competition", [None])[0]
            offset = int(query.get("offset", ["0"])[0])
            count = int(query.get("count", ["100"])[0])
            if code:
                ids = state.catalogue.by_competition.get(code, [])[offset : offset + count]
            else:  # the shipped ids, then as many synthetic ones as asked for
                shipped = sorted(state.catalogue.matches)[offset : offset + count]
                first = max(0, offset - len(state.catalogue.matches))
                more = min(count - len(shipped), SYNTHETIC_COUNT - first)
                ids = shipped + list(range(SYNTHETIC_BASE + 1 + first, SYNTHETIC_BASE + 1 + first + max(0, more)))
            return self._send(200, {"ids": ids})
        if not path.startswith("/v4/"):
            return self._send(404, {"message": "Not found"})
        config = state.config
        state.count("requests")
        if config.token and self.headers.get("X-Auth-Token") != config.token:
            state.count("forbidden")
            return self._send(403, {"message": "The resource you are looking for is restricted.", "errorCode": 403})
        admitted, reset_in, left = state.admit()
        if not admitted:
            state.count("quota_429")
            return self._send(
                429,
                {"message": "You reached your request limit. Wait before you retry.", "errorCode": 429},
                {
                    "Retry-After": state.retry_after_header(reset_in),
                    "X-Requests-Available-Minute": "0",
                    "X-RequestCounter-Reset": str(math.ceil(reset_in)),
                },
            )
        quota_headers = {"X-Requests-Available-Minute": str(left), "X-RequestCounter-Reset": str(math.ceil(reset_in))}
        if config.slow_ms:
            time.sleep(config.slow_ms / 1000 / config.speed_factor)
        fate = state.draw(self.path)
        if fate < config.timeout_rate:
            state.count("timeouts")
            time.sleep(config.hang_seconds)
        elif fate < config.timeout_rate + config.rate_429:
            state.count("random_429")
            retry = state.retry_after_header(1.0 / config.speed_factor)
            return self._send(
                429, {"message": "Too many requests", "errorCode": 429}, {"Retry-After": retry, **quota_headers}
            )
        elif fate < config.timeout_rate + config.rate_429 + config.error_rate:
            status = (500, 502, 503)[int(fate * 1_000_000) % 3]
            state.count("errors_5xx")
            return self._send(status, {"message": "Internal error", "errorCode": status}, quota_headers)
        return self._answer(path, query, quota_headers)

    def _answer(self, path: str, query: dict, headers: dict[str, str]) -> None:
        state = self.state
        catalogue = state.catalogue
        segments = path.split("/")[2:]
        if len(segments) == 2 and segments[0] == "matches":
            try:
                provider_id = int(segments[1])
            except ValueError:
                state.count("bad_request")
                return self._send(400, {"message": "Invalid id", "errorCode": 400}, headers)
            if provider_id in LYING_IDS:
                state.count("lies")
                return self._send(200, lying_json(provider_id, LYING_IDS[provider_id], catalogue.team_ids), headers)
            if state.is_unknown(provider_id):
                state.count("not_found")
                return self._send(404, {"message": f"Match {provider_id} not found", "errorCode": 404}, headers)
            state.count("ok")
            return self._send(200, state.match_body(provider_id), headers)
        if segments == ["matches"]:
            ids = [int(x) for x in query.get("ids", [""])[0].split(",") if x.strip().isdigit()]
            found = [state.match_body(i, with_goals=False) for i in ids if not state.is_unknown(i)]
            state.count("ok")
            return self._send(
                200, {"filters": {"ids": ids}, "resultSet": {"count": len(found)}, "matches": found}, headers
            )
        if len(segments) == 3 and segments[0] == "competitions" and segments[2] == "matches":
            code = segments[1].upper()
            if code not in COMPETITIONS:
                state.count("not_found")
                return self._send(404, {"message": f"Competition {code} not found", "errorCode": 404}, headers)
            date_from = query.get("dateFrom", [""])[0]
            date_to = query.get("dateTo", [""])[0]
            season = query.get("season", [""])[0]
            found = []
            for provider_id in catalogue.by_competition[code]:
                match = catalogue.matches[provider_id]
                if (date_from and match.date < date_from) or (date_to and match.date > date_to):
                    continue
                if season and str(match.season_start) != season:
                    continue
                if state.is_unknown(provider_id):
                    continue
                found.append(match_json(match, catalogue.team_ids, with_goals=False))
            state.count("ok")
            return self._send(
                200,
                {
                    "filters": {"dateFrom": date_from, "dateTo": date_to, "season": season},
                    "resultSet": {"count": len(found)},
                    "competition": COMPETITIONS[code],
                    "matches": found,
                },
                headers,
            )
        state.count("not_found")
        return self._send(404, {"message": "Not found", "errorCode": 404}, headers)


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True


def make_server(config: ChaosConfig, *, host: str = "127.0.0.1", port: int = 8200) -> SimulatorServer:
    state = SimulatorState(config)
    handler = type("BoundHandler", (Handler,), {"state": state})
    server = SimulatorServer((host, port), handler)
    server.state = state
    return server


class SimulatedProvider:
    """The simulator in a background thread of this process (tests, scripts)."""

    def __init__(self, config: ChaosConfig | None = None, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.server = make_server(config or ChaosConfig(), host=host, port=port)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v4/"

    @property
    def state(self) -> SimulatorState:
        return self.server.state

    def start(self) -> SimulatedProvider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
