"""The resident pages' forms. Every field is bounded; errors are given next to their field.

The captcha (django-simple-captcha, drawn locally) is added to a form only once the
resident's address has failed a few codes (disputes.residents.throttles).
"""

import math
import re

from captcha.fields import CaptchaField
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from config.sms.backends import MOBILE_RE
from disputes.cases import identity
from disputes.cases.models import Case, Category
from disputes.cases.query_codes import LENGTH, query_code_normalize
from villages.models import Village

POINT_RE = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
CODE_RE = re.compile(r"^[0-9]{6}$")
PLACEMENTS = (("point", _("Here, on the map")), ("village", _("Choose the village")))


def _mobile(value: str) -> str:
    value = re.sub(r"[\s\-]", "", value or "")
    if not MOBILE_RE.match(value):
        raise ValidationError(_("Write your 11-digit mobile number."))
    return value


def _one_time_code(value: str) -> str:
    value = (value or "").strip()
    if not CODE_RE.match(value):
        raise ValidationError(_("The code has 6 digits."))
    return value


class CaptchaMixin:
    def add_captcha(self):
        self.fields["captcha"] = CaptchaField(
            label=_("Type the characters in the picture"),
            help_text=_("Shown after several wrong codes from this connection."),
        )


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, village):
        return f"{village.township.name} {village.name}"


def _phone_widget():
    return forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "maxlength": 13})


def _code_widget():
    return forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6}
    )


class ReportForm(CaptchaMixin, forms.Form):
    category = forms.ModelChoiceField(
        label=_("What kind of matter"),
        queryset=Category.objects.filter(active=True),
        empty_label=_("Choose…"),
    )
    description = forms.CharField(
        label=_("What happened"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Who, what, since when; what you ask for."),
    )
    placement = forms.ChoiceField(
        label=_("Where"), choices=PLACEMENTS, initial="point", widget=forms.RadioSelect
    )
    point = forms.CharField(required=False, widget=forms.HiddenInput)
    accuracy = forms.FloatField(required=False, min_value=0, widget=forms.HiddenInput)
    village = VillageChoiceField(
        label=_("Village or community"),
        queryset=Village.objects.none(),
        required=False,
        empty_label=_("Choose…"),
    )
    address = forms.CharField(label=_("Address or landmark"), max_length=200, required=False)
    photo1 = forms.ImageField(label=_("Photo"), required=False)
    photo2 = forms.ImageField(label=_("Second photo"), required=False)
    photo3 = forms.ImageField(label=_("Third photo"), required=False)
    name = forms.CharField(label=_("Your name"), max_length=60)
    phone = forms.CharField(label=_("Your mobile number"), max_length=20, widget=_phone_widget())
    code = forms.CharField(
        label=_("Code from the SMS"), max_length=6, required=False, widget=_code_widget()
    )
    id_number = forms.CharField(
        label=_("ID number (optional)"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, villages, confirmed_phone="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.confirmed_phone = confirmed_phone

    def clean_point(self):
        text = self.cleaned_data["point"]
        if not text:
            return None
        match = POINT_RE.match(text)
        if not match or not all(math.isfinite(float(v)) for v in match.groups()):
            raise ValidationError(_("Place the pin again: the point could not be read."))
        return float(match[1]), float(match[2])

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_phone(self):
        return _mobile(self.cleaned_data["phone"])

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        if value and not identity.id_number_valid(value):
            raise ValidationError(_("Not a valid 18-character resident ID number."))
        return value

    def _clean_photo(self, name):
        photo = self.cleaned_data.get(name)
        if photo and photo.size > settings.CASE_UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(mb)d MB.")
                % {"mb": settings.CASE_UPLOAD_MAX_BYTES // 2**20}
            )
        return photo

    def clean_photo1(self):
        return self._clean_photo("photo1")

    def clean_photo2(self):
        return self._clean_photo("photo2")

    def clean_photo3(self):
        return self._clean_photo("photo3")

    def clean(self):
        data = super().clean()
        placement = data.get("placement")
        if placement == "point" and not data.get("point"):
            self.add_error("point", _("Place the pin where it happened, or choose the village."))
        if placement == "village" and not data.get("village"):
            self.add_error("village", _("Choose the village."))
        phone = data.get("phone")
        if phone and phone != self.confirmed_phone:
            try:
                data["code"] = _one_time_code(data.get("code", ""))
            except ValidationError as error:
                self.add_error("code", error)
        return data

    @property
    def photos(self):
        return tuple(
            self.cleaned_data[name]
            for name in ("photo1", "photo2", "photo3")
            if self.cleaned_data.get(name)
        )


class TrackByCodeForm(CaptchaMixin, forms.Form):
    number = forms.IntegerField(
        label=_("Case number"),
        min_value=1,
        max_value=2**31 - 1,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    query_code = forms.CharField(
        label=_("Query code"),
        max_length=LENGTH * 2,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("12 letters and digits, as in the SMS: ABCD-EFGH-JKMN."),
    )

    def clean_number(self):
        return self.cleaned_data["number"]

    def clean_query_code(self):
        code = query_code_normalize(self.cleaned_data["query_code"])
        if len(code) != LENGTH:
            raise ValidationError(_("The query code has 12 letters and digits."))
        return code


class TrackByPhoneForm(CaptchaMixin, forms.Form):
    phone = forms.CharField(label=_("Your mobile number"), max_length=20, widget=_phone_widget())
    code = forms.CharField(label=_("Code from the SMS"), max_length=6, widget=_code_widget())

    def clean_phone(self):
        return _mobile(self.cleaned_data["phone"])

    def clean_code(self):
        return _one_time_code(self.cleaned_data["code"])


class SendCodeForm(CaptchaMixin, forms.Form):
    phone = forms.CharField(max_length=20)
    purpose = forms.ChoiceField(choices=(("report", "report"), ("track", "track")))

    def clean_phone(self):
        return _mobile(self.cleaned_data["phone"])


class RateForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("Are you satisfied with how it was handled?"),
        choices=[
            (Case.Satisfaction.SATISFIED, _("Satisfied")),
            (Case.Satisfaction.BASICALLY_SATISFIED, _("Basically satisfied")),
            (Case.Satisfaction.NOT_SATISFIED, _("Not satisfied")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you ask for a review?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
