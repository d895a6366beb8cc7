"""The register's forms: a project (its area as a GeoJSON file or pasted text) and a follow-up."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disputes.core.errors import CaseInputError
from disputes.risks.models import MajorProject
from disputes.risks.services.areas import MAX_TEXT, area_parse


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=MajorProject.Kind.choices)
    responsible_unit = forms.CharField(label=_("Responsible unit"), max_length=100)
    assessed_on = forms.DateField(
        label=_("Assessed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    risk = forms.ChoiceField(
        label=_("Risk level"), choices=MajorProject.Risk.choices, widget=forms.RadioSelect
    )
    measures = forms.CharField(
        label=_("Measures agreed"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    area_file = forms.FileField(
        label=_("Area: a GeoJSON file (WGS-84)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )
    area_text = forms.CharField(
        label=_("… or paste GeoJSON or WKT"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, area_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.area_required = area_required

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if not date(2000, 1, 1) <= day <= timezone.localdate():
            raise forms.ValidationError(_("Give a date from 2000 to today."))
        return day

    def clean(self):
        data = super().clean()
        upload = data.get("area_file")
        text = data.get("area_text") or ""
        if upload:
            if upload.size > MAX_TEXT:
                self.add_error("area_file", _("The area is too large a file (at most 2 MB)."))
                return data
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("area_file", _("The file is not UTF-8 text."))
                return data
        data["area"] = None
        if text.strip() or self.area_required:
            try:
                data["area"] = area_parse(text)
            except CaseInputError as error:
                self.add_error("area_file" if upload else "area_text", error.message)
        return data


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label=_("Follow-up of the measures"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
