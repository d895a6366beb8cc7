"""The registration form of the desk (/desk/cases/new/): the case, its place and its parties.

Every field is bounded as the API bounds a report (disputes.cases.serializers);
errors are given next to their field in the user's language.
"""

import math
import re
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disputes.cases import identity
from disputes.cases.models import Case, Category, Party
from disputes.cases.serializers import EARLIEST, MAX_AMOUNT, MAX_PEOPLE, PHONE_RE
from villages.models import Village

C = Case.Channel
# What comes in at a desk, in the order a clerk meets it: 来访, 来信, 来电, 网上,
# 领导信箱, 12345, 视频接访, 代办. Grid patrols and messages come from the phone page.
DESK_CHANNELS = (C.VISIT, C.LETTER, C.PHONE, C.WEB, C.MAILBOX, C.HOTLINE, C.VIDEO, C.AGENT)
TICKET_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,29}$")
POINT_RE = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
MAX_PARTIES = 20
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _phone(value: str) -> str:
    value = value.strip().replace(" ", "")
    if value and not PHONE_RE.match(value):
        raise ValidationError(_("Not a mobile (11 digits) or landline number."))
    return value


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, village):
        return f"{village.township.name} {village.name}"


class RegisterForm(forms.Form):
    # Made when the form is shown: sending it twice makes one case (the intake's key).
    uuid = forms.UUIDField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(
        label=_("How it came in"),
        choices=[(c.value, c.label) for c in DESK_CHANNELS],
        widget=forms.RadioSelect,
    )
    hotline_ticket = forms.CharField(
        label=_("12345 ticket number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    agent_name = forms.CharField(label=_("Agent's name"), max_length=60, required=False)
    agent_unit = forms.CharField(
        label=_("Agent's unit"),
        max_length=100,
        required=False,
        help_text=_("e.g. the village committee or the township's 代办 office"),
    )
    agent_phone = forms.CharField(
        label=_("Agent's phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(active=True),
        to_field_name="code",
        empty_label=_("— choose —"),
    )
    occurred_at = forms.DateTimeField(
        label=_("Happened at"),
        required=False,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_("left empty: now"),
    )
    description = forms.CharField(
        label=_("What happened, and what the complainant asks for"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    people_involved = forms.IntegerField(
        label=_("People involved"), min_value=1, max_value=MAX_PEOPLE, initial=1
    )
    amount_at_stake = forms.DecimalField(
        label=_("Amount at stake (yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        max_value=MAX_AMOUNT,
        required=False,
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Case.Urgency.choices, initial=Case.Urgency.NORMAL
    )
    placement = forms.ChoiceField(
        label=_("Where"),
        choices=[
            ("point", _("at the point clicked on the map")),
            ("village", _("no point known: in a village")),
        ],
        initial="point",
        widget=forms.RadioSelect,
    )
    # "longitude,latitude" in WGS-84, set by clicking the map.
    point = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    village = VillageChoiceField(
        label=_("Village"),
        queryset=Village.objects.none(),
        required=False,
        empty_label=_("— choose —"),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    scan = forms.FileField(
        label=_("Scan of the letter, or another file (PDF or photo)"),
        required=False,
        help_text=_("required for a letter"),
    )

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if villages is not None:
            self.fields["village"].queryset = villages

    def clean_hotline_ticket(self):
        return self.cleaned_data["hotline_ticket"].strip().upper()

    def clean_agent_phone(self):
        return _phone(self.cleaned_data["agent_phone"])

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value is None:
            return None
        if value.date() < EARLIEST:
            raise ValidationError(_("This is before 1 October 1949."))
        if value > timezone.now() + timedelta(minutes=10):
            raise ValidationError(_("This is in the future."))
        return value

    def clean_point(self):
        text = self.cleaned_data["point"]
        if not text:
            return None
        match = POINT_RE.match(text)
        if not match:
            raise ValidationError(_("Click the map again: the point could not be read."))
        lon, lat = float(match[1]), float(match[2])
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise ValidationError(_("Click the map again: the point could not be read."))
        return lon, lat

    def clean_scan(self):
        file = self.cleaned_data["scan"]
        if file and file.size > settings.CASE_UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(mb)d MB.")
                % {"mb": settings.CASE_UPLOAD_MAX_BYTES // 2**20}
            )
        return file

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        if channel == C.HOTLINE:
            ticket = data.get("hotline_ticket")
            if not ticket and "hotline_ticket" not in self.errors:
                self.add_error("hotline_ticket", _("Write the ticket number of the 12345 hotline."))
            elif ticket and not TICKET_RE.match(ticket):
                self.add_error(
                    "hotline_ticket",
                    _("A ticket number has 4 to 30 letters, digits and dashes."),
                )
        elif channel:
            data["hotline_ticket"] = ""  # only a hotline case has a ticket
        agent = [data.get(f"agent_{key}") for key in ("name", "unit", "phone")]
        if channel == C.AGENT or any(agent):
            for key, value in zip(("name", "unit", "phone"), agent, strict=True):
                if not value and f"agent_{key}" not in self.errors:
                    self.add_error(
                        f"agent_{key}",
                        _("An agent who files for a resident leaves their name, unit and phone."),
                    )
        placement = data.get("placement")
        if placement == "village" and not data.get("village") and "village" not in self.errors:
            self.add_error("village", _("Choose the village."))
        if placement == "point" and not data.get("point") and "point" not in self.errors:
            self.add_error(
                "point",
                _("Click the map where it happened, or choose “no point known” and a village."),
            )
        if channel == C.LETTER and not data.get("scan") and "scan" not in self.errors:
            self.add_error("scan", _("Attach the scan of the letter."))
        return data


class PartyForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Party.Role.choices)
    name = forms.CharField(label=_("Name"), max_length=60, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_phone(self):
        return _phone(self.cleaned_data["phone"])

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        if value and not identity.id_number_valid(value):
            raise ValidationError(_("Not a valid 18-character resident ID number."))
        return value

    def clean(self):
        data = super().clean()
        if not data.get("name") and (data.get("phone") or data.get("id_number")):
            self.add_error("name", _("Write the name."))
        return data

    @property
    def is_blank(self) -> bool:
        """A row left empty: not a party."""
        data = getattr(self, "cleaned_data", None) or {}
        return not (data.get("name") or data.get("phone") or data.get("id_number"))


class BasePartyFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(
            form.cleaned_data.get("role") == Party.Role.COMPLAINANT
            and form.cleaned_data.get("name")
            for form in self.forms
        ):
            raise ValidationError(
                _("Name the complainant (for a case filed by an agent: the resident).")
            )

    def parties(self) -> list[dict]:
        """The rows filled in, once valid."""
        return [form.cleaned_data for form in self.forms if not form.is_blank]


PartyFormSet = forms.formset_factory(
    PartyForm,
    formset=BasePartyFormSet,
    extra=0,
    max_num=MAX_PARTIES,
    absolute_max=MAX_PARTIES,
    validate_max=True,
)
