from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from app.football.models import Competition, Season
from app.imports.services.export import EXPORT_COLUMNS
from app.imports.services.fields import FIELDS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xlsx,.xlsm,.csv,.xls"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    # The metaclass moves declared fields into base_fields, so `self.files` stays the uploaded-file dict.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Dosyalar"),
        help_text=_("Bir ya da birden çok .xlsx veya .csv dosyası seçin."),
    )
    competition = forms.ModelChoiceField(
        label=_("Organizasyon"),
        queryset=Competition.objects.all(),
        required=False,
        help_text=_("Dosyada organizasyon sütunu yoksa maçlar buraya kaydedilir (varsayılan: Süper Lig)."),
    )

    @property
    def recognised_headers(self) -> str:
        """The export's columns (the template's header) and the first English spelling of each field."""
        english = ", ".join(field.headers[0] for field in FIELDS)
        return f"{', '.join(filter(None, EXPORT_COLUMNS))} / {english}"


class ExportForm(forms.Form):
    competition = forms.ModelChoiceField(label=_("Organizasyon"), queryset=Competition.objects.all(), required=False)
    season = forms.ModelChoiceField(
        label=_("Sezon"), queryset=Season.objects.select_related("competition"), required=False
    )
    team = forms.CharField(label=_("Takım"), required=False, max_length=120)
    date_from = forms.DateField(
        label=_("Başlangıç tarihi"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("Bitiş tarihi"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
