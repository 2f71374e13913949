"""What an import would do, before anything is written: field-level changes, counts and warnings.

Read-only: teams and seasons the file would create get placeholder ids (negative numbers), so the
same diff as the write path (`football.services.matches.match_changes`) shows them as changes.
"""

import statistics
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import cast

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from app.football.models import Competition, Season, Team
from app.football.naming import name_key
from app.football.seasons import calendar_for, season_over
from app.football.services.matches import MatchChange, match_changes
from app.football.services.teams import TeamIndex
from app.imports.services.columns import did_you_mean
from app.imports.services.reading import Table
from app.imports.services.records import build_records, kept_fields
from app.imports.services.validation import Analysis

MAX_STORED_CHANGES = 1000
MAX_LISTED_ROWS = 20
FAR_DAYS = 2 * 365
MAX_TEAM_WARNINGS = 30  # new teams listed one by one (with similar stored names); the rest in one line
# MatchRecord field → the field-table name whose label the preview shows.
_SHOWN_AS = {"home_team_id": "home", "away_team_id": "away", "season_id": "season"}
_EMPTY = (None, "")


@dataclass
class Preview:
    counts: dict[str, int]
    changes: list[dict]
    warnings: list[dict]
    # The teams as the preview resolved them (placeholders for new ones), for the rows shown beside it.
    teams: TeamIndex

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.warnings) or self.counts.get("erasing", 0) > 0


@dataclass
class _Lookup:
    """Read-only ids: stored teams and seasons, placeholders (-1, -2, …) for those a write would create."""

    teams: TeamIndex
    season_ids: dict[tuple[int, int], int]
    new_seasons: dict[int, tuple[int, int]] = field(default_factory=dict)

    @property
    def new_teams(self) -> dict[int, str]:
        return self.teams.new_teams

    def team(self, national: bool, name: str) -> int:
        return self.teams.dry_run_id(name, national=national)

    def season(self, competition_id: int, year: int) -> int:
        if (competition_id, year) not in self.season_ids:
            placeholder = -(len(self.new_seasons) + 1)
            self.season_ids[(competition_id, year)] = placeholder
            self.new_seasons[placeholder] = (competition_id, year)
        return self.season_ids[(competition_id, year)]


def build_preview(analysis: Analysis, table: Table) -> Preview:
    seasons = Season.objects.filter(competition_id__in=analysis.competitions)
    lookup = _Lookup(TeamIndex(), {(s.competition_id, s.start_year): s.id for s in seasons})
    row_of = {row.external_id: row.row for row in analysis.rows}
    counts = {"new": 0, "changed": 0, "unchanged": 0, "rejected": analysis.rejected, "erasing": 0}
    stored_changes: list[MatchChange] = []
    new_in_season: dict[int, list[int]] = {}
    for item in match_changes(build_records(analysis, lookup.team, lookup.season), keep_fields=kept_fields(analysis)):
        if isinstance(item, int):
            counts["unchanged"] += item
            continue
        if item.created:
            counts["new"] += 1
            new_in_season.setdefault(cast(int, item.new["season_id"]), []).append(row_of[item.external_id])
            continue
        counts["changed"] += 1
        if erases(item):
            counts["erasing"] += 1
        if len(stored_changes) < MAX_STORED_CHANGES:
            stored_changes.append(item)
    warnings = [*_reading_warnings(analysis, table), *analysis.warnings]
    warnings += _new_team_warnings(lookup)
    warnings += _season_warnings(analysis, lookup, new_in_season)
    warnings += _far_dates(analysis)
    return Preview(
        counts=counts,
        changes=describe_changes(
            stored_changes, row_of, lookup, {row.external_id for row in analysis.rows if row.stored_match}
        ),
        warnings=warnings,
        teams=lookup.teams,
    )


def erases(change: MatchChange) -> bool:
    """Whether a change clears a stored value (an explicit empty cell in a recognised column)."""
    return any(change.new[name] in _EMPTY and old not in _EMPTY for name, old in change.old.items())


def describe_changes(
    changes: list[MatchChange],
    row_of: dict[str, int],
    lookup: _Lookup | None = None,
    found_by_content: Collection[str] = (),
) -> list[dict]:
    """Changes as the preview (and the undo report) shows them: field, old → new, as display text.

    `found_by_content`: ids of rows that came without one and are a stored match (the same
    competition, teams and day): the preview says so ("bu maç zaten kayıtlı").
    Values are stored as text in the data's own terms (team and season names, dates); None is an
    empty value, shown as "boş" in the page's language; `status` keeps its code, labelled on display.
    """
    team_ids = {v for c in changes for k in ("home_team_id", "away_team_id") for v in (c.old.get(k), c.new.get(k))}
    season_ids = {v for c in changes for v in (c.old.get("season_id"), c.new.get("season_id"))}
    teams = dict(Team.objects.filter(id__in=_stored_ids(team_ids)).values_list("id", "name"))
    seasons = {
        s.id: f"{s.competition.name} {s.name}"
        for s in Season.objects.filter(id__in=_stored_ids(season_ids)).select_related("competition")
    }
    if lookup:
        teams.update(lookup.new_teams)
        competitions = Competition.objects.in_bulk(list({cid for cid, _year in lookup.new_seasons.values()}))
        for placeholder, (cid, year) in lookup.new_seasons.items():
            competition = competitions.get(cid)
            name = calendar_for(competition).season_name(year) if competition else str(year)
            seasons[placeholder] = f"{competition.name if competition else ''} {name}"

    def show(name: str, value: object) -> str | None:
        if value in _EMPTY:
            return None
        if name in ("home_team_id", "away_team_id") and isinstance(value, int):
            return teams.get(value, str(value))
        if name == "season_id" and isinstance(value, int):
            return seasons.get(value, str(value))
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
        if isinstance(value, date):
            return value.strftime("%d.%m.%Y")
        if isinstance(value, bool):
            return "1" if value else "0"
        return str(value)

    described = []
    for change in changes:
        fields = []
        old, new = change.old, change.new
        if "home_score" in old or "away_score" in old:
            fields.append(["score", _score(old, new, "old"), _score(old, new, "new")])
        for name in old:
            if name in ("home_score", "away_score"):
                continue
            fields.append([_SHOWN_AS.get(name, name), show(name, old[name]), show(name, new[name])])
        described.append(
            {"row": row_of.get(change.external_id), "external_id": change.external_id, "fields": fields,
             "erases": erases(change), "stored_match": change.external_id in found_by_content}
        )  # fmt: skip
    return described


def _stored_ids(values: Iterable[object]) -> list[int]:
    """The ids of stored rows among team or season ids (placeholders of new ones are negative)."""
    return [value for value in values if isinstance(value, int) and value > 0]


def _score(old: dict, new: dict, which: str) -> str | None:
    side = old if which == "old" else new  # the write path reports both scores when either changes
    home, away = side.get("home_score"), side.get("away_score")
    if home is None and away is None:
        return None
    return f"{'' if home is None else home}-{'' if away is None else away}"


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(map(str, rows[:MAX_LISTED_ROWS]))
    return shown + (" …" if len(rows) > MAX_LISTED_ROWS else "")


def _reading_warnings(analysis: Analysis, table: Table) -> list[dict]:
    warnings: list[dict] = []
    if len(table.fitting_sheets) > 1:
        warnings.append({"kind": "sheets", "rows": [], "message": _(
            "Birden çok sayfa uygun ({sheets}); “{sheet}” sayfası okundu. Başka bir sayfayı aşağıdan seçebilirsiniz."
        ).format(sheets=", ".join(table.fitting_sheets), sheet=table.sheet_name)})  # fmt: skip
    for name in table.hidden_sheets:
        warnings.append({"kind": "hidden_sheet", "rows": [], "message": _(
            "Gizli sayfa “{sheet}” okunmadı; içindekiler içe aktarılmayacak."
        ).format(sheet=name)})  # fmt: skip
    if table.hidden_rows:
        warnings.append({"kind": "hidden_rows", "rows": table.hidden_rows, "message": _(
            "Gizli satırlar var (satır {rows}); bunlar da içe aktarılacak."
        ).format(rows=_rows_text(table.hidden_rows))})  # fmt: skip
    for suggestion in analysis.mapping.suggestions:
        warnings.append({"kind": "suggestion", "rows": [], "message": did_you_mean(suggestion) + " " + _(
            "Eşleştirmeyi seçmezseniz bu sütun yok sayılır."
        )})  # fmt: skip
    return warnings


def _new_team_warnings(lookup: _Lookup) -> list[dict]:
    """One warning per new team, with the closest stored names (a typo, an alias missing?); a
    first import of a whole league or of internationals gets one list after the first ones."""
    if not lookup.new_teams:
        return []
    names = {name_key(name): name for name in Team.objects.values_list("name", flat=True)}
    known_keys = list(names)
    warnings: list[dict] = []
    new_names = sorted(lookup.new_teams.values())
    for display in new_names[:MAX_TEAM_WARNINGS]:
        close = process.extract(name_key(display), known_keys, scorer=fuzz.WRatio, limit=3, score_cutoff=80)
        if close:
            message = _("Yeni takım oluşturulacak: “{team}”. Kayıtlı benzer adlar: {close}.").format(
                team=display, close=", ".join(names[key] for key, _score, _index in close)
            )
        else:
            message = _("Yeni takım oluşturulacak: “{team}”.").format(team=display)
        warnings.append({"kind": "new_team", "rows": [], "message": message})
    rest = new_names[MAX_TEAM_WARNINGS:]
    if rest:
        warnings.append({"kind": "new_team", "rows": [], "message": _(
            "{count} yeni takım daha oluşturulacak: {names}."
        ).format(count=len(rest), names=", ".join(rest[:200]) + (" …" if len(rest) > 200 else ""))})  # fmt: skip
    return warnings


def _season_warnings(analysis: Analysis, lookup: _Lookup, new_in_season: dict[int, list[int]]) -> list[dict]:
    warnings: list[dict] = []
    for cid, year in sorted(lookup.new_seasons.values()):
        competition = analysis.competitions[cid]
        warnings.append({"kind": "new_season", "rows": [], "message": _("Yeni sezon oluşturulacak: {season}.").format(
            season=f"{competition.name} {calendar_for(competition).season_name(year)}"
        )})  # fmt: skip
    stored = (
        Season.objects.filter(id__in=_stored_ids(new_in_season))
        .select_related("competition")
        .annotate(match_count=Count("matches"))
    )
    today = timezone.localdate()
    for season in stored:
        if season_over(season.competition, season.start_year, end_date=season.end_date, today=today):
            rows = sorted(new_in_season[season.id])
            name = f"{season.competition.name} {season.name}"
            warnings.append({"kind": "season_over", "rows": rows, "message": _(
                "{count} yeni maç bitmiş {season} sezonuna ekleniyor; sezonda kayıtlı {stored} maç var (satır {rows})."
            ).format(count=len(rows), season=name, stored=season.match_count, rows=_rows_text(rows))})  # fmt: skip
    return warnings


def _far_dates(analysis: Analysis) -> list[dict]:
    """Rows dated far from the rest of the file (a typo'd year, a wrong column): further from the
    median date than ten median deviations and at least two years."""
    if len(analysis.rows) < 4:
        return []
    ordinals = [row.date.toordinal() for row in analysis.rows]
    middle = statistics.median(ordinals)
    deviation = statistics.median(abs(day - middle) for day in ordinals)
    limit = max(10 * deviation, FAR_DAYS)
    far = [row.row for row, day in zip(analysis.rows, ordinals, strict=True) if abs(day - middle) > limit]
    if not far:
        return []
    rest = [day for day in ordinals if abs(day - middle) <= limit]
    return [{"kind": "far_dates", "rows": far, "message": _(
        "Satır {rows}: tarih dosyanın geri kalanından çok uzak (çoğu {start} – {end} arasında); yılı kontrol edin."
    ).format(rows=_rows_text(far), start=date.fromordinal(min(rest)).strftime("%d.%m.%Y"),
             end=date.fromordinal(max(rest)).strftime("%d.%m.%Y"))}]  # fmt: skip
