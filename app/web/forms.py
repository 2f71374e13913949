from django import forms
from django.utils.translation import gettext_lazy as _

from app.football.models import Season, Team
from app.web.selectors import MatchFilters, tournaments


class SeasonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, season: Season) -> str:
        return f"{season.competition.name} {season.name}"


class MatchFilterForm(forms.Form):
    """The GET filter of the fixtures and results page; parameter names are Turkish like the URLs."""

    sezon = SeasonChoiceField(
        label=_("Sezon"),
        queryset=Season.objects.select_related("competition").order_by("competition__name", "-start_year"),
        required=False,
        empty_label=_("Tüm sezonlar"),
        error_messages={"invalid_choice": _("Böyle bir sezon yok.")},
    )
    takim = forms.ModelChoiceField(
        label=_("Takım"),
        queryset=Team.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Tüm takımlar"),
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
        label=_("Turnuva"), required=False, error_messages={"invalid_choice": _("Böyle bir turnuva yok.")}
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["turnuva"].choices = [("", _("Tüm turnuvalar")), *((name, name) for name in tournaments())]

    def clean(self) -> dict:
        cleaned = super().clean()
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
            season_id=data["sezon"].id if data.get("sezon") else None,
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
        error_messages={"invalid_choice": _("Bu takımla hiç maç yok."), "required": _("Bir rakip seçin.")},
    )

    def __init__(self, *args, opponents: list[Team], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rakip"]
        field.queryset = Team.objects.filter(id__in=[team.id for team in opponents]).order_by("name")
        # Render from the list already loaded instead of querying again.
        field.choices = [("", field.empty_label), *((team.slug, team.name) for team in opponents)]
