from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from app.football.localized_names import country_name, sort_key
from app.football.models import Team
from app.football.selectors import MatchFilters
from app.web.selectors import filter_choices, filter_labels

SELECTED = " selected"


class QuickSelect(forms.Select):
    """A <select> rendered in Python.

    Django renders every option through a template; the filter form has some 800 options
    (teams, seasons, tournaments), which made it most of the page's time (docs/web.md).
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs) | {"name": name}
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(str(key))}"{SELECTED if str(key) in chosen else ""}>{escape(str(label))}</option>'
            for key, label in self.choices
        )
        return mark_safe(f"<select{flatatt(final_attrs)}>{options}</select>")  # every part escaped above


class PreparedChoices(BaseChoiceIterator):
    """Choices already in (value, label) form: Django then takes them as they are.

    Assigning a plain list makes Django normalise all 800 options again on every request,
    which was a sixth of a results page's render time.
    """

    def __init__(self, choices: list[tuple[Any, Any]]) -> None:
        self.choices = choices

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return iter(self.choices)


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """A choice field of this form instance (`form.fields` is typed as plain fields)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def _model_choice_field(form: forms.Form, name: str) -> forms.ModelChoiceField[Team]:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class MatchFilterForm(forms.Form):
    """The GET filter of the fixtures and results page; parameter names are Turkish like the URLs."""

    sezon = forms.ChoiceField(
        label=_("Sezon"),
        required=False,
        widget=QuickSelect,
        error_messages={"invalid_choice": _("Böyle bir sezon yok.")},
    )
    takim = forms.ModelChoiceField(
        label=_("Takım"),
        queryset=Team.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tüm takımlar"),
        widget=QuickSelect,
        error_messages={"invalid_choice": _("Böyle bir takım yok.")},
    )
    baslangic = forms.DateField(
        label=_("Başlangıç tarihi"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Geçerli bir tarih girin (YYYY-AA-GG).")},
    )
    bitis = forms.DateField(
        label=_("Bitiş tarihi"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Geçerli bir tarih girin (YYYY-AA-GG).")},
    )
    turnuva = forms.ChoiceField(
        label=_("Turnuva"),
        required=False,
        widget=QuickSelect,
        error_messages={"invalid_choice": _("Böyle bir turnuva yok.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = self.choices = filter_choices()
        # Rendered from cached plain tuples; the model fields still validate against the database.
        labels = filter_labels(choices)
        _choice_field(self, "sezon").choices = PreparedChoices([("", _("Tüm sezonlar")), *labels.seasons])
        team_field = _model_choice_field(self, "takim")
        team_field.choices = PreparedChoices([("", team_field.empty_label), *labels.teams])
        _choice_field(self, "turnuva").choices = PreparedChoices([("", _("Tüm turnuvalar")), *labels.tournaments])

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("baslangic"), cleaned.get("bitis")
        if start and end and start > end:
            raise forms.ValidationError(_("Başlangıç tarihi bitiş tarihinden sonra olamaz."))
        return cleaned

    def filters(self) -> MatchFilters:
        """The filters of a valid form; an invalid one filters nothing (its errors are shown)."""
        if not self.is_valid():
            return MatchFilters()
        data = self.cleaned_data
        return MatchFilters(
            season_id=self.choices.season_ids[data["sezon"]] if data.get("sezon") else None,
            team_id=data["takim"].id if data.get("takim") else None,
            date_from=data.get("baslangic"),
            date_to=data.get("bitis"),
            tournament=data.get("turnuva") or "",
        )


class OpponentForm(forms.Form):
    rakip = forms.ModelChoiceField(
        label=_("Rakip"),
        queryset=Team.objects.none(),
        to_field_name="slug",
        empty_label=_("Rakip seçin"),
        widget=QuickSelect,
        error_messages={"invalid_choice": _("Bu takımla hiç maç yok."), "required": _("Bir rakip seçin.")},
    )

    def __init__(self, *args: Any, opponents: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = _model_choice_field(self, "rakip")
        field.queryset = Team.objects.filter(id__in=[team.id for team in opponents]).order_by("name")
        # Render from the list already loaded instead of querying again.
        labels = sorted(((team.slug, country_name(team.name)) for team in opponents), key=lambda c: sort_key(c[1]))
        field.choices = PreparedChoices([("", field.empty_label), *labels])
