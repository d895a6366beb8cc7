"""The forms of the people pages; each hands a StaffInput to the services."""

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from config.sms.backends import MOBILE_RE
from disputes.people import selectors
from disputes.people.policies import ROLES_GIVEN
from disputes.people.services.import_check import SPLIT_RE
from disputes.people.services.staff import StaffInput
from villages.models import Staff


def mobile_clean(value: str) -> str:
    value = value.strip().replace(" ", "").replace("-", "")
    if not MOBILE_RE.match(value):
        raise forms.ValidationError(
            _("“%(value)s” is not a mobile number (11 digits starting with 1)."),
            params={"value": value},
        )
    return value


class StaffForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    mobile = forms.CharField(label=_("Mobile"), max_length=20)
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        required=False,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Empty: the mobile number."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[(role.value, role.label) for role in ROLES_GIVEN]
    )
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=None,
        required=False,
        help_text=_("For township leaders and mediators."),
    )
    village = forms.ModelChoiceField(
        label=_("Village"),
        queryset=None,
        required=False,
        help_text=_("For village cadres and grid workers."),
    )
    grid_codes = forms.CharField(
        label=_("Grids"),
        required=False,
        help_text=_("A grid worker's grid codes, e.g. 360425100201-01, separated by spaces."),
    )
    teams = forms.ModelMultipleChoiceField(label=_("Teams"), queryset=None, required=False)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=None,
        required=False,
        help_text=_("For department staff: the county department or township station."),
    )

    field_order = [
        "full_name",
        "mobile",
        "username",
        "role",
        "township",
        "village",
        "department",
        "grid_codes",
        "teams",
    ]

    def __init__(self, *args, county, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.county = county
        self.fields["township"].queryset = selectors.county_townships(county)
        self.fields["village"].queryset = selectors.county_villages(county)
        self.fields["village"].label_from_instance = lambda v: f"{v.township.name} {v.name}"
        self.fields["teams"].queryset = selectors.county_teams(county)
        self.fields["department"].queryset = selectors.county_departments(county)
        self.fields["department"].label_from_instance = selectors.department_label
        if not creating:
            del self.fields["username"]

    def clean_mobile(self):
        return mobile_clean(self.cleaned_data["mobile"])

    def clean_full_name(self):
        return self.cleaned_data["full_name"].strip()

    def clean(self):
        data = super().clean()
        codes = [c for c in SPLIT_RE.split(data.get("grid_codes", "").strip()) if c]
        grids = {g.code: g for g in selectors.county_grids(self.county).filter(code__in=codes)}
        unknown = [code for code in codes if code not in grids]
        if unknown:
            self.add_error(
                "grid_codes",
                _("No grid %(codes)s in your county.") % {"codes": "、".join(unknown)},
            )
        data["grids"] = [grids[code] for code in dict.fromkeys(codes) if code in grids]
        return data

    def staff_input(self) -> StaffInput:
        data = self.cleaned_data
        return StaffInput(
            full_name=data["full_name"],
            mobile=data["mobile"],
            username=data.get("username", "").strip(),
            role=data["role"],
            township=data.get("township"),
            village=data.get("village"),
            grids=data["grids"],
            teams=list(data.get("teams") or []),
            department=data.get("department"),
        )

    @classmethod
    def initial_of(cls, staff: Staff) -> dict:
        return {
            "full_name": staff.user.first_name,
            "mobile": staff.mobile,
            "role": staff.role,
            "township": staff.township_id,
            "village": staff.village_id,
            "grid_codes": " ".join(g.code for g in selectors.staff_grids(staff)),
            "teams": [t.pk for t in selectors.staff_teams(staff)],
            "department": staff.department_id,
        }


class StaffSearch(forms.Form):
    q = forms.CharField(required=False, max_length=50)
    role = forms.ChoiceField(
        required=False, choices=[("", ""), *((r.value, r.label) for r in Staff.Role)]
    )
    active = forms.ChoiceField(required=False, choices=[("", ""), ("1", "1"), ("0", "0")])


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet"), help_text=_("XLSX, or CSV in UTF-8 or GB18030."))
