"""Checked rows → MatchRecords, the same for the preview (read-only ids) and the import (ids created)."""

from collections.abc import Callable, Iterator

from app.football.models import Competition, Match
from app.football.seasons import calendar_for
from app.football.services.matches import MatchRecord
from app.imports.services.fields import PLAIN
from app.imports.services.validation import Analysis, ValidRow

SCORE_FIELDS = {"home_score", "away_score", "score"}

TeamIds = Callable[[bool, str], int]  # (national?, name as in the file) → team id
SeasonIds = Callable[[int, int], int]  # (competition id, start year) → season id


def kept_fields(analysis: Analysis) -> list[str]:
    """Fields the file does not carry: a stored match keeps its values there (nothing is erased by
    omission), a new one gets the defaults. The provider id is never the file's to set."""
    present = analysis.present
    # e.g. the kickoff time the API fetcher stored stays when the file has no kickoff column
    kept = ["provider_id", *(name for name in PLAIN if name not in present)]
    if not present & SCORE_FIELDS:
        # No score column: stored scores stay, and so does the status derived from them.
        kept += ["home_score", "away_score"]
        if "status" not in present:
            kept.append("status")
    return kept


def national_competitions(analysis: Analysis) -> set[int]:
    return {cid for cid, c in analysis.competitions.items() if c.kind == Competition.Kind.INTERNATIONAL}


def status_for(row: ValidRow) -> str:
    if row.status is not None:
        return row.status
    return Match.Status.FINISHED if row.home_score is not None else Match.Status.SCHEDULED


def default_tournament(competition: Competition) -> str:
    return "" if competition.kind == Competition.Kind.INTERNATIONAL else competition.name


def default_country(competition: Competition) -> str:
    return "" if competition.kind == Competition.Kind.INTERNATIONAL else competition.country


def build_records(analysis: Analysis, team_id: TeamIds, season_id: SeasonIds) -> Iterator[MatchRecord]:
    competitions = analysis.competitions
    national = national_competitions(analysis)
    source = Match.Source.EXCEL
    # Defaults of a new match for the plain fields the file lacks (a stored match keeps its own).
    defaults = {
        cid: {"tournament": default_tournament(c), "country": default_country(c)} for cid, c in competitions.items()
    }
    for row in analysis.rows:
        is_national = row.competition_id in national
        yield MatchRecord(
            **{**defaults[row.competition_id], **analysis.plain_of(row)},
            external_id=row.external_id,
            season_id=season_id(row.competition_id, row.season_start),
            date=row.date,
            home_team_id=team_id(is_national, row.home),
            away_team_id=team_id(is_national, row.away),
            home_score=row.home_score,
            away_score=row.away_score,
            status=status_for(row),
            source=source,
        )


def keep_stored_competitions(analysis: Analysis) -> None:
    """Without a competition column, a stored match stays in its competition (the upload's default
    is for new matches): its season is then that competition's for the row's date."""
    if "competition" in analysis.present or not analysis.rows:
        return
    rows = {row.external_id: row for row in analysis.rows}
    ids = list(rows)
    moved: dict[str, int] = {}
    default_ids = set(analysis.competitions)
    for start in range(0, len(ids), 5000):
        for external_id, competition_id in (
            Match.objects.filter(external_id__in=ids[start : start + 5000])
            .exclude(season__competition_id__in=default_ids)
            .values_list("external_id", "season__competition_id")
        ):
            moved[external_id] = competition_id
    if not moved:
        return
    competitions = Competition.objects.in_bulk(set(moved.values()))
    analysis.competitions.update(competitions)
    for external_id, competition_id in moved.items():
        row = rows[external_id]
        row.competition_id = competition_id
        if "season" not in analysis.present:
            row.season_start = calendar_for(competitions[competition_id]).season_for(row.date)
