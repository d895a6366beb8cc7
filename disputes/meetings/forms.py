"""The forms of the joint-meeting pages: a meeting with repeated decision rows, a decision done."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from disputes.meetings.services.meetings import MAX_DECISIONS

CASE_SEPARATORS = re.compile(r"[\s,，、;；]+")
EMPTY_ROWS = 5


def _text(label, *, required=True, max_length=2000, rows=3):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120, strip=True)
    held_on = forms.DateField(
        label=_("Date of the meeting"), widget=forms.DateInput(attrs={"type": "date"})
    )
    units_present = _text(_("Units present"), rows=2)
    minutes = _text(_("Minutes"), required=False, max_length=10000, rows=5)
    case_numbers = forms.CharField(
        label=_("Cases discussed"),
        required=False,
        max_length=600,
        help_text=_("Case numbers, separated by commas or spaces."),
    )

    def clean_case_numbers(self):
        text = self.cleaned_data["case_numbers"]
        return [part for part in CASE_SEPARATORS.split(text.replace("#", " ")) if part]


class DecisionForm(forms.Form):
    text = _text(_("Decision"), required=False, max_length=2000, rows=2)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    due_date = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    case_number = forms.IntegerField(
        label=_("Case number (optional)"), required=False, min_value=1, max_value=2**31 - 1
    )

    def __init__(self, *args, assignees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "—"), *assignees]

    def row(self) -> dict | None:
        """The row for the service, or None when it was left empty."""
        data = self.cleaned_data
        if not (data.get("text") or data.get("assignee") or data.get("due_date")):
            return None
        return {
            "text": data.get("text", ""),
            "assignee": data.get("assignee", ""),
            "due_date": data.get("due_date"),
            "case_id": data.get("case_number"),
        }


def decision_formset(rows: int = EMPTY_ROWS):
    """The decision rows: `rows` empty ones shown (a sent form says how many it holds)."""
    return forms.formset_factory(
        DecisionForm,
        extra=max(1, min(rows, MAX_DECISIONS)),
        max_num=MAX_DECISIONS,
        validate_max=True,
        absolute_max=MAX_DECISIONS,
    )


class DecisionDoneForm(forms.Form):
    note = _text(_("What was done"))
