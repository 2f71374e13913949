"""football-data.org v4 client: pooled `requests` session, timeouts, strict payload checks.

Every request first takes a token from the deployment-wide bucket (when one is given), and a
429 pauses that bucket for `Retry-After`. Anything the API says that cannot be true (missing
fields, negative scores, a team playing itself, garbage JSON) is a `PermanentProviderError`
with the offending field in `detail`; it would say the same thing again on a retry.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter

from app.fetching.providers.base import (
    CLIENT_ERROR,
    CONNECTION,
    INVALID_PAYLOAD,
    NOT_FOUND,
    RATE_LIMITED,
    SERVER_ERROR,
    TIMEOUT,
    PermanentProviderError,
    ProviderGoal,
    ProviderMatch,
    ProviderTeam,
    TransientProviderError,
)

STATUSES = {"SCHEDULED", "TIMED", "IN_PLAY", "PAUSED", "FINISHED", "POSTPONED", "SUSPENDED", "CANCELLED", "AWARDED"}
PLAYED_STATUSES = {"FINISHED", "AWARDED"}
GOAL_TYPES = {"REGULAR", "OWN", "PENALTY"}


class RateLimiter(Protocol):
    def acquire(self, *, timeout: float | None = None) -> float: ...

    def penalise(self, retry_after: float | None) -> float: ...


class FootballDataClient:
    name = "football-data"

    def __init__(
        self,
        *,
        base_url: str | None = None,
        token: str | None = None,
        rate_limiter: RateLimiter | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        pool_size: int = 4,
    ) -> None:
        self.base_url = (base_url or settings.FOOTBALL_API_URL).rstrip("/") + "/"
        self.rate_limiter = rate_limiter
        self.timeout = (
            connect_timeout if connect_timeout is not None else settings.FOOTBALL_API_CONNECT_TIMEOUT,
            read_timeout if read_timeout is not None else settings.FOOTBALL_API_READ_TIMEOUT,
        )
        self.session = requests.Session()
        # Retries are ours (with the quota in mind), never urllib3's silent ones.
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool_size, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        token = token if token is not None else settings.FOOTBALL_API_TOKEN
        if token:
            self.session.headers["X-Auth-Token"] = token
        self.session.headers["Accept"] = "application/json"
        # Proxy settings are read from the environment once, not on every request (that lookup
        # cost more CPU than the rest of a request).
        self.session.proxies.update(requests.utils.get_environ_proxies(self.base_url))
        self.session.trust_env = False
        self.requests_sent = 0

    def close(self) -> None:
        self.session.close()

    # --- the interface ------------------------------------------------------------------
    def get_match(self, provider_id: int) -> ProviderMatch:
        payload = self._get(f"matches/{int(provider_id)}")
        match = parse_match(payload, goals_included=True)
        if match.provider_id != int(provider_id):
            raise PermanentProviderError(INVALID_PAYLOAD, f"id: {match.provider_id} != {provider_id}")
        return match

    def list_matches(
        self, *, competition_code: str, date_from: date | None, date_to: date | None, season: int | None = None
    ) -> list[ProviderMatch]:
        params: dict[str, str] = {}
        if date_from:
            params["dateFrom"] = date_from.isoformat()
        if date_to:
            params["dateTo"] = date_to.isoformat()
        if season is not None:
            params["season"] = str(season)
        payload = self._get(f"competitions/{competition_code}/matches", params)
        items = _field(payload, "matches", list, "")
        return [parse_match(item, goals_included=False, path=f"matches[{n}]") for n, item in enumerate(items)]

    # --- HTTP ---------------------------------------------------------------------------
    def _get(self, path: str, params: dict[str, str] | None = None) -> Any:
        if self.rate_limiter is not None:
            self.rate_limiter.acquire()
        self.requests_sent += 1
        try:
            response = self.session.get(self.base_url + path, params=params, timeout=self.timeout)
        except requests.Timeout as exc:
            raise TransientProviderError(TIMEOUT, type(exc).__name__) from exc
        except requests.ConnectionError as exc:
            raise TransientProviderError(CONNECTION, type(exc).__name__) from exc
        except requests.RequestException as exc:
            raise TransientProviderError(CONNECTION, type(exc).__name__) from exc
        status = response.status_code
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if self.rate_limiter is not None:
                self.rate_limiter.penalise(retry_after)
            raise TransientProviderError(
                RATE_LIMITED, f"HTTP 429, Retry-After {retry_after}", status=429, retry_after=retry_after
            )
        if status >= 500:
            raise TransientProviderError(
                SERVER_ERROR,
                f"HTTP {status}",
                status=status,
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
        if status == 404:
            raise PermanentProviderError(NOT_FOUND, f"HTTP 404 {path}", status=404)
        if status != 200:
            raise PermanentProviderError(CLIENT_ERROR, f"HTTP {status} {path}", status=status)
        try:
            return response.json()
        except ValueError as exc:
            raise PermanentProviderError(INVALID_PAYLOAD, "JSON", status=status) from exc


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a `Retry-After` header: a number (fractions allowed) or an HTTP date."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = (when - datetime.now(timezone.utc)).total_seconds()
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)


# --- payload validation -------------------------------------------------------------------
def _invalid(path: str, problem: str) -> PermanentProviderError:
    return PermanentProviderError(INVALID_PAYLOAD, f"{path}: {problem}")


def _field(obj: Any, name: str, kind: type | tuple[type, ...], path: str, *, optional: bool = False) -> Any:
    where = f"{path}.{name}" if path else name
    if not isinstance(obj, dict):
        raise _invalid(path or "$", "object?")
    value = obj.get(name)
    if value is None:
        if optional:
            return None
        raise _invalid(where, "∅")
    # bool is an int in Python; a score of `true` is a lie, not a 1.
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise _invalid(where, repr(value))
    if not isinstance(value, kind):
        raise _invalid(where, repr(value)[:60])
    return value


def _score(obj: Any, side: str, path: str) -> int | None:
    value = _field(obj, side, int, path, optional=True)
    if value is not None and not 0 <= value <= 99:
        raise _invalid(f"{path}.{side}", str(value))
    return value


def _team(obj: Any, side: str, path: str) -> ProviderTeam:
    team = _field(obj, side, dict, path)
    where = f"{path}.{side}" if path else side
    provider_id = _field(team, "id", int, where)
    name = _field(team, "name", str, where).strip()
    if not name:
        raise _invalid(f"{where}.name", "''")
    short = _field(team, "shortName", str, where, optional=True) or ""
    return ProviderTeam(provider_id=provider_id, name=name, short_name=short.strip())


def parse_match(payload: Any, *, goals_included: bool, path: str = "") -> ProviderMatch:
    """A v4 match object → ProviderMatch, or PermanentProviderError naming the first lie found."""
    p = f"{path}." if path else ""
    if not isinstance(payload, dict):
        raise _invalid(path or "$", "object?")
    provider_id = _field(payload, "id", int, path)
    competition = _field(payload, "competition", dict, path)
    code = _field(competition, "code", str, f"{p}competition").strip()
    if not code:
        raise _invalid(f"{p}competition.code", "''")
    competition_name = _field(competition, "name", str, f"{p}competition").strip() or code
    competition_type = _field(competition, "type", str, f"{p}competition", optional=True) or "LEAGUE"

    utc = _field(payload, "utcDate", str, path)
    try:
        kickoff = datetime.fromisoformat(utc.replace("Z", "+00:00"))
    except ValueError as exc:
        raise _invalid(f"{p}utcDate", repr(utc)[:40]) from exc
    if kickoff.tzinfo is None:
        kickoff = kickoff.replace(tzinfo=timezone.utc)
    match_date = kickoff.astimezone(timezone.utc).date()
    if not date(1850, 1, 1) <= match_date <= date(2100, 1, 1):
        raise _invalid(f"{p}utcDate", utc)
    # Some feeds send a bare date as midnight UTC: the time is unknown, not 00:00.
    known_kickoff = kickoff if kickoff.astimezone(timezone.utc).time() != datetime.min.time() else None

    status = _field(payload, "status", str, path)
    if status not in STATUSES:
        raise _invalid(f"{p}status", status[:30])
    matchday = _field(payload, "matchday", int, path, optional=True)
    if matchday is not None and not 0 < matchday < 1000:
        raise _invalid(f"{p}matchday", str(matchday))

    season_start = None
    season = _field(payload, "season", dict, path, optional=True)
    if season and season.get("startDate"):
        try:
            season_start = date.fromisoformat(str(season["startDate"])).year
        except ValueError as exc:
            raise _invalid(f"{p}season.startDate", repr(season["startDate"])[:40]) from exc

    home = _team(payload, "homeTeam", path)
    away = _team(payload, "awayTeam", path)
    if home.provider_id == away.provider_id or home.name.casefold() == away.name.casefold():
        raise _invalid(f"{p}awayTeam", f"= homeTeam ({home.provider_id} {home.name})")

    score = _field(payload, "score", dict, path)
    full_time = _field(score, "fullTime", dict, f"{p}score")
    home_score = _score(full_time, "home", f"{p}score.fullTime")
    away_score = _score(full_time, "away", f"{p}score.fullTime")
    if (home_score is None) != (away_score is None):
        raise _invalid(f"{p}score.fullTime", f"{home_score}-{away_score}")
    if status in PLAYED_STATUSES and home_score is None:
        raise _invalid(f"{p}score.fullTime", f"{status} ∅")

    goals: list[ProviderGoal] = []
    raw_goals = _field(payload, "goals", list, path, optional=True) or []
    for n, raw in enumerate(raw_goals):
        gp = f"{p}goals[{n}]"
        team = _field(raw, "team", dict, gp)
        team_id = _field(team, "id", int, f"{gp}.team")
        if team_id not in (home.provider_id, away.provider_id):
            raise _invalid(f"{gp}.team.id", str(team_id))
        minute = _field(raw, "minute", int, gp, optional=True)
        if minute is not None and not 0 <= minute <= 200:
            raise _invalid(f"{gp}.minute", str(minute))
        kind = _field(raw, "type", str, gp, optional=True) or "REGULAR"
        if kind not in GOAL_TYPES:
            raise _invalid(f"{gp}.type", kind[:20])
        scorer = _field(raw, "scorer", dict, gp, optional=True) or {}
        scorer_name = scorer.get("name") if isinstance(scorer, dict) else None
        goals.append(
            ProviderGoal(
                team_provider_id=team_id,
                scorer=str(scorer_name or "").strip()[:120],
                minute=minute,
                own_goal=kind == "OWN",
                penalty=kind == "PENALTY",
            )
        )
    venue = _field(payload, "venue", str, path, optional=True) or ""
    return ProviderMatch(
        provider_id=provider_id,
        competition_code=code,
        competition_name=competition_name,
        competition_type=competition_type,
        season_start_year=season_start,
        date=match_date,
        kickoff=known_kickoff,
        status=status,
        matchday=matchday,
        home=home,
        away=away,
        home_score=home_score,
        away_score=away_score,
        venue=venue.strip()[:160],
        goals=tuple(goals),
        goals_included=goals_included and "goals" in payload,
    )


def build(*, rate_limiter: RateLimiter | None = None, pool_size: int = 4) -> FootballDataClient:
    """The provider `FOOTBALL_PROVIDER=football-data` selects (the default): settings give URL and token."""
    return FootballDataClient(rate_limiter=rate_limiter, pool_size=pool_size)
