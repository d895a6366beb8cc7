"""The forms of the reception pages: a schedule rule, a session's change, a booking, a visit."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from disputes.reception.models import WEEKDAYS
from disputes.reception.services.schedules import MAX_LEADERS

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
LEADER_SEPARATORS = re.compile(r"[\s,，、]+")


def _text(label, *, required=True, max_length=2000, rows=3):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _time(label):
    return forms.TimeField(label=label, widget=forms.TimeInput(attrs={"type": "time"}))


class ScheduleForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int)
    starts_at = _time(_("From"))
    ends_at = _time(_("Until"))
    place = forms.CharField(label=_("Place"), max_length=200, strip=True)
    leaders = _text(_("Leaders taking turns"), required=False, max_length=1200, rows=4)
    department = forms.TypedChoiceField(
        label=_("Or a department stationed"), required=False, coerce=int, empty_value=None
    )
    capacity = forms.IntegerField(
        label=_("Appointment slots per session"), min_value=1, max_value=50, initial=6
    )
    first_date = forms.DateField(
        label=_("From the day"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leaders"].help_text = _(
            "One leader a line, the name then the title (e.g. 张明 镇长); one week each, in turn."
        )
        self.fields["department"].choices = [("", "—"), *((d.pk, d.name) for d in departments)]

    def clean_leaders(self):
        rows = []
        for line in self.cleaned_data["leaders"].splitlines():
            parts = [part for part in LEADER_SEPARATORS.split(line.strip()) if part]
            if not parts:
                continue
            name, title = parts[0], " ".join(parts[1:])
            if len(name) > 60 or len(title) > 60:
                raise forms.ValidationError(_("A name or a title is at most 60 characters."))
            rows.append({"name": name, "title": title})
        if len(rows) > MAX_LEADERS:
            raise forms.ValidationError(_("At most %(n)d leaders take turns.") % {"n": MAX_LEADERS})
        return rows


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, strip=True)


class SessionChangeForm(forms.Form):
    leader_name = forms.CharField(label=_("Leader receiving instead"), max_length=60, strip=True)
    leader_title = forms.CharField(label=_("Title"), max_length=60, strip=True, required=False)
    note = forms.CharField(label=_("Note for residents"), max_length=200, required=False)


class SwapForm(forms.Form):
    other = forms.IntegerField(label=_("Swap with"), min_value=1, max_value=2**62)


class BookForm(forms.Form):
    session = forms.IntegerField(label=_("Reception day"), min_value=1, max_value=2**62)


class VisitForm(forms.Form):
    case_number = forms.IntegerField(label=_("Case number"), min_value=1, max_value=2**31 - 1)
    received_by = forms.CharField(label=_("Received by"), max_length=120, required=False)
    visitors = forms.IntegerField(
        label=_("People in the visit"), min_value=1, max_value=500, initial=1
    )
    statement = _text(_("What the visitor said"), max_length=5000)
    answer = _text(_("The leader's answer"), max_length=5000)
    agreed = _text(_("What was agreed"), required=False, max_length=5000)


def month_parse(raw: str):
    """(year, month) from "YYYY-MM", or None when it is not a month of 2000–2100."""
    match = MONTH_RE.match(raw)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return year, month
