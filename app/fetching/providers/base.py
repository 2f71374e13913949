"""The one small interface every match-data provider implements, and its typed errors.

Errors carry a machine-readable `reason` (one of the constants below; app.fetching shows them
with translated labels) and a language-neutral `detail` (field path, value, HTTP status), so a
failure stored by a worker reads well in Turkish and English alike.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

# Transient reasons: worth retrying later.
TIMEOUT = "timeout"
CONNECTION = "connection"
SERVER_ERROR = "server_error"
RATE_LIMITED = "rate_limited"
# Permanent reasons: retrying the same request gives the same answer.
NOT_FOUND = "not_found"
INVALID_PAYLOAD = "invalid_payload"
CLIENT_ERROR = "client_error"


class ProviderError(Exception):
    transient = False

    def __init__(self, reason: str, detail: str = "", *, status: int | None = None) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.status = status


class TransientProviderError(ProviderError):
    """Timeouts, connection errors, 5xx and 429; `retry_after` (seconds) when the provider said so."""

    transient = True

    def __init__(
        self, reason: str, detail: str = "", *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(reason, detail, status=status)
        self.retry_after = retry_after


class PermanentProviderError(ProviderError):
    """404, other 4xx, and payloads that cannot be true (missing fields, negative scores...)."""


@dataclass(frozen=True)
class ProviderTeam:
    provider_id: int
    name: str
    short_name: str = ""


@dataclass(frozen=True)
class ProviderGoal:
    team_provider_id: int
    scorer: str
    minute: int | None
    own_goal: bool = False
    penalty: bool = False


@dataclass(frozen=True)
class ProviderMatch:
    provider_id: int
    competition_code: str
    competition_name: str
    competition_type: str
    season_start_year: int | None
    date: date
    kickoff: datetime | None
    status: str
    matchday: int | None
    home: ProviderTeam
    away: ProviderTeam
    home_score: int | None
    away_score: int | None
    venue: str = ""
    goals: tuple[ProviderGoal, ...] = field(default_factory=tuple)
    # False for list endpoints, which leave goals out: an empty tuple then means "not given".
    goals_included: bool = False


class MatchProvider(Protocol):
    name: str

    def list_matches(
        self, *, competition_code: str, date_from: date | None, date_to: date | None, season: int | None = None
    ) -> list[ProviderMatch]: ...

    def get_match(self, provider_id: int) -> ProviderMatch: ...
