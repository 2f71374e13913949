"""Public pages: thin views over app.web.selectors and the standings service."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from app.football.localized_names import country_name
from app.football.models import Competition, Team
from app.football.selectors import MatchFilters
from app.football.services.standings import get_standings
from app.web import selectors
from app.web.charts import goals_chart
from app.web.forms import MatchFilterForm, OpponentForm
from app.web.page_cache import cached_page, do_not_store

TABLE_FRAGMENT_SECONDS = 3600
# The results page's cursors: `?once=` the matches older than a position, `?sonra=` newer ones.
OLDER_THAN, NEWER_THAN = "once", "sonra"


def _form_labels() -> dict[str, tuple[str, str]]:
    # Translated once per request, not once per cell.
    return {
        "W": (_("G"), _("Galibiyet")),
        "D": (_("B"), _("Beraberlik")),
        "L": (_("M"), _("Mağlubiyet")),
    }


@cached_page()
def home(request: HttpRequest) -> HttpResponse:
    competitions = selectors.competitions_with_seasons()
    return render(
        request,
        "web/home.html",
        {"competitions": competitions, "latest_results": selectors.latest_results(limit=12)},
    )


def default_table(request: HttpRequest) -> HttpResponse:
    season = selectors.latest_season()
    if season is None:
        raise Http404(_("Henüz lig maçı yok."))
    return redirect("web:league_table", competition=season.competition.slug, season=season.name)


def competition(request: HttpRequest, competition: str) -> HttpResponse:
    """`/lig/<competition>/`: the newest season, or the one picked in the season form (`?sezon=`)."""
    wanted = request.GET.get("sezon")
    season = (
        selectors.season_by_name(competition_slug=competition, season_name=wanted)
        if wanted
        else selectors.latest_season(competition_slug=competition)
    )
    if season is None:
        raise Http404(_("Bu organizasyon ya da sezon bulunamadı."))
    return redirect("web:league_table", competition=season.competition.slug, season=season.name)


@cached_page()
def league_table(request: HttpRequest, competition: str, season: str) -> HttpResponse:
    season_obj = selectors.season_by_name(competition_slug=competition, season_name=season)
    if season_obj is None:
        raise Http404(_("Bu organizasyon ya da sezon bulunamadı."))
    standings = get_standings(season_obj.id)
    seasons = selectors.seasons_of(season_obj.competition_id)
    index = next(i for i, s in enumerate(seasons) if s.id == season_obj.id)
    labels = _form_labels()
    rows = [{"row": row, "form": [(result, *labels[result]) for result in row.form]} for row in standings.rows]
    return render(
        request,
        "web/league_table.html",
        {
            "season": season_obj,
            "competition": season_obj.competition,
            "standings": standings,
            "rows": rows,
            "seasons": seasons,
            "newer_season": seasons[index - 1] if index > 0 else None,
            "older_season": seasons[index + 1] if index + 1 < len(seasons) else None,
            "is_league": season_obj.competition.kind == Competition.Kind.LEAGUE,
            "table_digest": selectors.table_digest(standings),
            "notes": selectors.table_notes(season_obj, standings, name=country_name),
            "table_fragment_seconds": TABLE_FRAGMENT_SECONDS,
        },
    )


@cached_page(query=(*MatchFilterForm.base_fields, OLDER_THAN, NEWER_THAN))
def matches(request: HttpRequest) -> HttpResponse:
    form = MatchFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # The errors are shown; an unfiltered list under them would look like the answer.
        return render(request, "web/matches.html", {"form": form, "invalid": True}, status=400)
    filters = form.filters() if form.is_bound else MatchFilters()
    cursors = {name: selectors.Cursor.parse(request.GET.get(name)) for name in (OLDER_THAN, NEWER_THAN)}
    page = selectors.match_page(filters, older_than=cursors[OLDER_THAN], newer_than=cursors[NEWER_THAN])
    base_query = request.GET.copy()
    for key in (OLDER_THAN, NEWER_THAN):
        base_query.pop(key, None)
    response = render(
        request,
        "web/matches.html",
        {
            "form": form,
            "page": page,
            "filters": filters,
            "total": selectors.match_count(filters),
            "base_query": base_query.urlencode(),
        },
    )
    # A mangled cursor shows the first page, and one that names no match a page of its own: shown,
    # not stored (the site's links name matches, anything else would be an entry per visitor).
    if not all(
        selectors.is_match_position(cursors[name]) for name in (OLDER_THAN, NEWER_THAN) if request.GET.get(name)
    ):
        do_not_store(response)
    return response


@cached_page(query=tuple(OpponentForm.base_fields))
def team(request: HttpRequest, slug: str) -> HttpResponse:
    team_obj = get_object_or_404(Team, slug=slug)
    summary = selectors.team_summary(team_obj.id)
    opponents = selectors.teams_by_ids(summary.opponent_ids)
    opponent_form = OpponentForm(request.GET if "rakip" in request.GET else None, opponents=opponents)
    h2h = None
    if opponent_form.is_bound and opponent_form.is_valid():
        opponent = next(t for t in opponents if t.slug == request.GET["rakip"])
        record, meetings = selectors.head_to_head(team_id=team_obj.id, opponent_id=opponent.id)
        h2h = {"opponent": opponent, "record": record, "matches": meetings}
    response = render(
        request,
        "web/team.html",
        {
            "team": team_obj,
            "summary": summary,
            "chart": goals_chart(summary.seasons),
            "last_matches": selectors.team_matches(team_id=team_obj.id, limit=10),
            "opponent_form": opponent_form,
            "h2h": h2h,
        },
    )
    # An opponent that is not one shows the form's error: shown, not stored.
    return do_not_store(response) if opponent_form.is_bound and not opponent_form.is_valid() else response


@cached_page()
def match(request: HttpRequest, external_id: str) -> HttpResponse:
    match_obj = selectors.match_detail(external_id)
    if match_obj is None:
        raise Http404(_("Maç bulunamadı."))
    goals = list(match_obj.goals.all())
    return render(
        request,
        "web/match.html",
        {
            "match": match_obj,
            "home_goals": [goal for goal in goals if goal.team_id == match_obj.home_team_id],
            "away_goals": [goal for goal in goals if goal.team_id == match_obj.away_team_id],
            "goals": goals,
            "previous_meetings": selectors.meetings(
                team_id=match_obj.home_team_id, opponent_id=match_obj.away_team_id, limit=5, exclude_id=match_obj.id
            ),
            "h2h_url": reverse("web:team", args=[match_obj.home_team.slug]) + f"?rakip={match_obj.away_team.slug}",
        },
    )
