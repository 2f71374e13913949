"""The competitions the product knows by itself: domain data read by the importer, the fetcher and the demo loader.

A new known competition is one `CompetitionSpec` in `KNOWN`. They are created in the write paths that need them
(`ensure_competition`), never by code that only reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.football.models import Competition


@dataclass(frozen=True)
class CompetitionSpec:
    slug: str
    name: str
    code: str
    kind: str
    country: str = ""
    tie_break: str = Competition.TieBreak.GOAL_DIFFERENCE
    # The first season the competition really had: the importer refuses rows in earlier seasons.
    first_season: int | None = None


SUPER_LIG = CompetitionSpec(
    slug="super-lig",
    name="Süper Lig",
    code="TSL",
    kind=Competition.Kind.LEAGUE,
    country="Türkiye",
    tie_break=Competition.TieBreak.HEAD_TO_HEAD,
    first_season=1959,
)
INTERNATIONAL = CompetitionSpec(
    slug="uluslararasi", name="Uluslararası Maçlar", code="INT", kind=Competition.Kind.INTERNATIONAL
)
KNOWN: tuple[CompetitionSpec, ...] = (SUPER_LIG, INTERNATIONAL)
_FIRST_SEASONS = {spec.slug: spec.first_season for spec in KNOWN}  # asked once per imported row


def by_code(code: str) -> CompetitionSpec | None:
    return next((spec for spec in KNOWN if spec.code == code.upper()), None)


def first_season(slug: str) -> int | None:
    """The earliest plausible season of a known competition; others are bounded by the 1872 limit."""
    return _FIRST_SEASONS.get(slug)


def ensure_competition(spec: CompetitionSpec) -> Competition:
    """Get or create the competition of `spec` (a write: call it from write paths only)."""
    competition, _ = Competition.objects.get_or_create(
        slug=spec.slug,
        defaults={"name": spec.name, "code": spec.code, "kind": spec.kind, "country": spec.country,
                  "tie_break": spec.tie_break},
    )  # fmt: skip
    return competition


def ensure_known_competitions() -> list[Competition]:
    """Every known competition exists afterwards, so files and API payloads naming them always resolve."""
    return [ensure_competition(spec) for spec in KNOWN]
