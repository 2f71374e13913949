from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser, User
from django.utils.translation import gettext_lazy as _

from app.fetching.models import FetchRun
from app.fetching.services import runs

MAX_FILE_BYTES = 5 * 1024 * 1024


class StartFetchForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Ne çekilsin?"), choices=FetchRun.Kind.choices, initial=FetchRun.Kind.IDS, widget=forms.RadioSelect
    )
    ids = forms.CharField(
        label=_("Maç kimlikleri"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        help_text=_("Sağlayıcının maç kimlikleri; virgül, boşluk ya da satır ile ayırın."),
    )
    ids_file = forms.FileField(
        label=_("ya da kimlik dosyası"), required=False, help_text=_("Düz metin dosyası, her satırda bir kimlik.")
    )
    competition_code = forms.CharField(
        label=_("Organizasyon kodu"), required=False, max_length=16, help_text=_("ör. TSL (Süper Lig)")
    )
    date_from = forms.DateField(
        label=_("Başlangıç tarihi"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("Bitiş tarihi"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    season = forms.IntegerField(
        label=_("Sezon (başlangıç yılı)"), required=False, min_value=1850, max_value=2100, help_text=_("ör. 2023")
    )

    # The fields of each mode (`kind`), in the order shown; the page shows only the chosen group.
    mode_groups = (
        (FetchRun.Kind.IDS.value, ("ids", "ids_file")),
        (FetchRun.Kind.RANGE.value, ("competition_code", "date_from", "date_to", "season")),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == FetchRun.Kind.IDS:
            text = data.get("ids") or ""
            upload = data.get("ids_file")
            if upload:
                if upload.size > MAX_FILE_BYTES:
                    raise forms.ValidationError(_("Kimlik dosyası en fazla 5 MB olabilir."))
                try:
                    text += "\n" + upload.read().decode("utf-8-sig")
                except UnicodeDecodeError as exc:
                    raise forms.ValidationError(_("Kimlik dosyası UTF-8 düz metin olmalı.")) from exc
            try:
                data["provider_ids"] = runs.parse_ids(text)
            except runs.FetchRequestError as exc:
                raise forms.ValidationError(
                    _("Geçersiz maç kimliği: %(value)s (pozitif tam sayı olmalı)."), params={"value": str(exc)}
                ) from exc
            if not data["provider_ids"]:
                raise forms.ValidationError(_("En az bir maç kimliği girin."))
            if len(data["provider_ids"]) > runs.MAX_IDS:
                raise forms.ValidationError(
                    _("Bir seferde en fazla %(max)s kimlik çekilebilir."), params={"max": runs.MAX_IDS}
                )
        else:
            if not data.get("competition_code"):
                self.add_error("competition_code", _("Organizasyon kodunu girin."))
            if not (data.get("date_from") or data.get("date_to") or data.get("season")):
                raise forms.ValidationError(_("Bir tarih aralığı ya da sezon girin."))
            if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
                self.add_error("date_to", _("Bitiş tarihi başlangıçtan önce olamaz."))
        return data

    def start(self, *, user: User | AnonymousUser, trigger: str) -> FetchRun:
        """Create the run and send it to the workers."""
        data = self.cleaned_data
        if data["kind"] == FetchRun.Kind.IDS:
            return runs.start_id_run(provider_ids=data["provider_ids"], started_by_id=user.pk, trigger=trigger)
        return runs.start_range_run(
            competition_code=data["competition_code"],
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            season=data.get("season"),
            started_by_id=user.pk,
            trigger=trigger,
        )
