"""The forms of the case page's actions; each carries the case's version it was shown with."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disputes.cases.deadlines import MAX_EXTENSION_DAYS
from disputes.cases.models import Case

TEXT = {"rows": 3, "maxlength": 2000}


class ActionForm(forms.Form):
    """What every action sends: the version of the case the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**62)


def _text(label, *, required=True, max_length=2000):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _reply():
    field = _text(_("Reply to the complainant"))
    field.help_text = _(
        "The complainant reads this on their tracking page; the note stays internal."
    )
    return field


class NoteForm(ActionForm):
    note = _text(_("Note"), required=False)


class AcceptForm(ActionForm):
    reply = _reply()
    note = _text(_("Internal note"), required=False)


class RejectForm(ActionForm):
    reply = _reply()
    reason = _text(_("Internal reason"))


class ReplyForm(ActionForm):
    reply = _reply()


class RequiredNoteForm(ActionForm):
    note = _text(_("Note"))


class ReasonForm(ActionForm):
    reason = _text(_("Reason"))


class ExtendForm(ActionForm):
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=MAX_EXTENSION_DAYS)
    reason = _text(_("Reason"))
    reply = _reply()


class ResolveForm(ActionForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Case.Outcome.choices)
    note = _text(_("Summary"))
    reply = _reply()
    agreement = forms.FileField(label=_("Agreement (PDF or photo)"), required=False)


class FollowUpForm(ActionForm):
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"), choices=Case.Satisfaction.choices, widget=forms.RadioSelect
    )
    note = _text(_("Comment"), required=False)


class AssignForm(ActionForm):
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, choices=[])

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(team.pk, team.name) for team in teams]


class SessionForm(ActionForm):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    attendees = _text(_("Attendees"))
    agreed = _text(_("What was agreed"), required=False, max_length=5000)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("continuing")), *Case.Outcome.choices], required=False
    )

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate() or day < datetime.date(1949, 10, 1):
            raise forms.ValidationError(_("The day must be in the past."))
        return day


class AttachForm(ActionForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("photo", _("photo")), ("document", _("document (PDF)"))],
        initial="document",
    )
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > settings.CASE_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.")
                % {"mb": settings.CASE_UPLOAD_MAX_BYTES // 2**20}
            )
        return file
