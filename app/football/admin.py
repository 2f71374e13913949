from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote_plus

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from app.football.dispatch import send_recalculate_standings
from app.football.localized_names import country_name, tournament_name
from app.football.models import Competition, Goal, Match, Season, Team, TeamAlias
from app.football.selectors import search_matches
from app.imports.actions import export_matches_as_xlsx, has_export_permission

if TYPE_CHECKING:
    from django.contrib.admin.filters import _ListFilterChoices

AUDIT_FIELDS = ("created_at", "updated_at")
# Django's own msgid (translated in Django's catalogue), named so that makemessages leaves it there.
DJANGO_CHECKBOX_LABEL = "Select this object for an action - {}"


def display_with_stored(stored: str, shown: str) -> str:
    """The name in the reader's language, with the stored spelling (what search finds) when it differs."""
    return shown if shown == stored else f"{shown} ({stored})"


@admin.register(Competition)
class CompetitionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "country", "points_for_win")
    list_filter = ("kind",)
    search_fields = ("name", "code", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = AUDIT_FIELDS


@admin.register(Season)
class SeasonAdmin(admin.ModelAdmin):
    list_display = ("__str__", "competition", "start_year", "start_date", "end_date")
    list_filter = ("competition",)
    list_select_related = ("competition",)
    search_fields = ("name", "competition__name")
    readonly_fields = AUDIT_FIELDS
    actions = ["recalculate_standings"]

    @admin.action(description=_("Seçilen sezonların puan durumunu yeniden hesapla"), permissions=["view"])
    def recalculate_standings(self, request: HttpRequest, queryset: QuerySet[Season]) -> None:
        season_ids = list(queryset.values_list("id", flat=True))
        task_id = send_recalculate_standings(season_ids)
        url = reverse("admin:django_celery_results_taskresult_summary", args=[task_id])
        self.message_user(
            request,
            format_html(
                gettext('{count} sezonun puan durumu arka planda hesaplanıyor. <a href="{url}">Sonucu gör</a>.'),
                count=len(season_ids),
                url=url,
            ),
            messages.SUCCESS,
        )


class TeamAliasInline(admin.TabularInline):
    model = TeamAlias
    extra = 1
    fields = ("name",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name_display", "short_name", "country_display", "is_national", "alias_list")
    list_filter = ("is_national",)
    search_fields = ("name", "short_name", "aliases__name", "key")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("key", *AUDIT_FIELDS)
    inlines = [TeamAliasInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description=_("ad"), ordering="name")
    def name_display(self, team: Team) -> str:
        return display_with_stored(team.name, country_name(team.name))

    @admin.display(description=_("ülke"), ordering="country")
    def country_display(self, team: Team) -> str:
        return country_name(team.country)

    @admin.display(description=_("takma adlar"))
    def alias_list(self, team: Team) -> str:
        return ", ".join(alias.name for alias in team.aliases.all())


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fields = ("sequence", "minute", "team", "scorer", "own_goal", "penalty")
    autocomplete_fields = ("team",)
    ordering = ("sequence",)


class _OptionQueryStrings:
    """A change list whose `get_query_string` urlencodes the current filters once per parameter.

    A drop-down's options differ only in the value of their filter's own parameter, yet Django
    builds each option's query string from scratch: 600 urlencodes of the whole query for the
    team, season and date filters, a fifth of the match list's time. Here the query string is
    built once with a marker in place of the value, and each option fills in its own."""

    MARKER = f"mm{uuid.uuid4().hex}"  # letters and digits: urlencode leaves it as it is

    def __init__(self, changelist: ChangeList) -> None:
        self._changelist = changelist
        self._templates: dict[tuple[str, tuple[str, ...]], str] = {}

    def get_query_string(self, new_params: dict[str, Any] | None = None, remove: list[str] | None = None) -> str:
        if new_params and len(new_params) == 1:
            ((name, value),) = new_params.items()
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                key = (name, tuple(remove or ()))
                if key not in self._templates:
                    self._templates[key] = self._changelist.get_query_string({name: self.MARKER}, remove)
                return self._templates[key].replace(self.MARKER, quote_plus(str(value)))
        return self._changelist.get_query_string(new_params, remove)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._changelist, name)


class DropdownFilter(admin.ListFilter):
    """Renders a list filter as a drop-down: a plain list of 190 seasons or 400 teams is metres tall."""

    template = "admin/filter_dropdown.html"

    def choices(self, changelist: ChangeList) -> Iterator[_ListFilterChoices]:
        # The stand-in answers everything else as the change list itself does.
        yield from super().choices(cast(ChangeList, _OptionQueryStrings(changelist)))


class SeasonFilter(DropdownFilter, admin.RelatedFieldListFilter):
    pass


class TeamListFilter(DropdownFilter, admin.SimpleListFilter):
    """Matches a team played in, home or away."""

    title = _("takım")
    parameter_name = "team"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        teams = Team.objects.order_by("is_national", "name").values_list("id", "name")
        return [(str(pk), country_name(name)) for pk, name in teams]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Match]) -> QuerySet[Match]:
        if self.value():
            return queryset.filter(Q(home_team_id=self.value()) | Q(away_team_id=self.value()))
        return queryset


class MatchDateFilter(DropdownFilter, admin.SimpleListFilter):
    """Recent periods and decades: a date hierarchy over 150 years is a page of year links."""

    title = _("tarih")
    parameter_name = "donem"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        first = Match.objects.order_by("date").values_list("date", flat=True).first()
        today = timezone.localdate()
        decades = range(today.year // 10 * 10, (first.year // 10 * 10 - 1) if first else today.year - 1, -10)
        return [
            ("7", gettext("Son 7 gün")),
            ("30", gettext("Son 30 gün")),
            ("year", gettext("Bu yıl")),
            ("last-year", gettext("Geçen yıl")),
            *((str(decade), f"{decade}–{decade + 9}") for decade in decades),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Match]) -> QuerySet[Match]:
        value, today = self.value(), timezone.localdate()
        if value in ("7", "30"):
            return queryset.filter(date__gte=today - timedelta(days=int(value)), date__lte=today)
        if value == "year":
            return queryset.filter(date__year=today.year)
        if value == "last-year":
            return queryset.filter(date__year=today.year - 1)
        if value and value.isdigit():
            return queryset.filter(date__year__gte=int(value), date__year__lt=int(value) + 10)
        return queryset


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ("date", "home", "score", "away", "season", "status", "tournament_display", "source")
    list_display_links = ("date", "score")
    list_filter = (
        "season__competition",
        ("season", SeasonFilter),
        TeamListFilter,
        MatchDateFilter,
        "status",
        "source",
    )
    list_select_related = ("season__competition", "home_team", "away_team")
    # What the search box looks in; get_search_results does the searching (by team id, no joins).
    search_fields = ("external_id", "home_team__name", "away_team__name", "tournament", "city")
    autocomplete_fields = ("season", "home_team", "away_team")
    readonly_fields = ("source", "updated_by", *AUDIT_FIELDS)
    inlines = [GoalInline]
    list_per_page = 50
    actions = [export_matches_as_xlsx]
    has_export_permission = has_export_permission
    show_full_result_count = False  # COUNT(*) over 59,000 rows on every page adds nothing
    # Facet counts are one COUNT per filter option over the whole table: only when asked for.
    show_facets = admin.ShowFacets.ALLOW
    fieldsets = (
        (None, {"fields": ("external_id", "season", "date", "kickoff", "matchday", "status")}),
        (_("Takımlar ve skor"), {"fields": (("home_team", "home_score"), ("away_team", "away_score"))}),
        (_("Yer"), {"fields": ("tournament", "venue", "city", "country", "neutral")}),
        (_("Kayıt"), {"fields": ("provider_id", "source", "updated_by", *AUDIT_FIELDS)}),
    )

    @admin.display(description=_("ev sahibi"), ordering="home_team__name")
    def home(self, match: Match) -> str:
        return country_name(match.home_team.name)

    @admin.display(description=_("deplasman"), ordering="away_team__name")
    def away(self, match: Match) -> str:
        return country_name(match.away_team.name)

    @admin.display(description=_("turnuva"), ordering="tournament")
    def tournament_display(self, match: Match) -> str:
        return tournament_name(match.tournament)

    def action_checkbox(self, obj: Match) -> SafeString:
        # Django renders this through the widget templates, a fifth of the list's time for 50 rows.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext(DJANGO_CHECKBOX_LABEL), str(obj)),
        )

    @admin.display(description=_("skor"))
    def score(self, match: Match) -> str:
        return match.score_display

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Match], search_term: str
    ) -> tuple[QuerySet[Match], bool]:
        # No joins, so no duplicate rows: Django need not add DISTINCT.
        return search_matches(queryset, search_term), False

    def save_model(self, request: HttpRequest, obj: Match, form: forms.ModelForm[Match], change: bool) -> None:
        obj.updated_by_id = request.user.pk  # the admin only serves signed-in staff
        super().save_model(request, obj, form, change)


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ("match", "minute", "scorer", "team", "own_goal", "penalty")
    list_filter = ("own_goal", "penalty")
    list_select_related = ("match__home_team", "match__away_team", "team")
    search_fields = ("scorer", "team__name")
    autocomplete_fields = ("match", "team")
