"""The case page's part for 包案 leaders and their steps (disputes.ownership).

Like every part of the case page (disputes.desk.actions): ACTIONS it may offer,
SERVICES they call (form values as keywords), `offered` names those open to the
user now, `form_kwargs` what an action's form needs of the case, `page_context`
what its template partial shows.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Case, CaseEvent
from disputes.core.errors import NotAllowed, TransitionRefused
from disputes.desk.action_spec import Action
from disputes.desk.forms import ActionForm, _text
from disputes.ownership.selectors import backlog as backlog_selectors
from disputes.ownership.selectors import leaders as leader_selectors
from disputes.ownership.services import leaders


class LeadForm(ActionForm):
    leader = forms.TypedChoiceField(label=_("包案 leader"), coerce=int, choices=[])
    unit = forms.CharField(label=_("Responsible unit"), max_length=leaders.UNIT_MAX, strip=True)
    person = forms.CharField(
        label=_("Responsible person"), max_length=leaders.PERSON_MAX, strip=True
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = leader_selectors.eligible_leaders(case)
        self.fields["leader"].choices = [
            (user.pk, leader_selectors.leader_label(user)) for user in candidates
        ]


class MarkForm(ActionForm):
    key = forms.BooleanField(label=_("Key case (重点)"), required=False)
    backlog = forms.BooleanField(label=_("Backlog case (积案)"), required=False)
    note = _text(_("Note"), required=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(key=case.is_key, backlog=case.marked_backlog)


class MeetForm(ActionForm):
    met_on = forms.DateField(
        label=_("Met the complainant on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = _text(_("What was said"))

    def clean_met_on(self):
        day = self.cleaned_data["met_on"]
        if day > timezone.localdate() or day < datetime.date(1949, 10, 1):
            raise forms.ValidationError(_("The day must be in the past."))
        return day


class PlanForm(ActionForm):
    plan = _text(_("Resolution plan (化解方案)"))


class ProgressForm(ActionForm):
    progress = _text(_("Progress"))


ACTIONS: tuple[Action, ...] = (
    Action("lead", _("Name the 包案 leader"), LeadForm),
    Action("mark", _("Mark as key or backlog case"), MarkForm),
    Action("meet", _("Record the meeting with the complainant (面谈)"), MeetForm),
    Action("plan", _("Record the resolution plan (化解方案)"), PlanForm),
    Action("check", _("Record a progress check"), ProgressForm),
    Action("progress", _("Report this week's progress (每周推进情况)"), ProgressForm),
)
SERVICES: dict = {
    "lead": lambda case_id, actor, leader, unit, person: leaders.leader_name(
        case_id=case_id, actor=actor, leader_id=leader, unit=unit, person=person
    ),
    "mark": lambda case_id, actor, key, backlog, note: leaders.case_mark(
        case_id=case_id, actor=actor, key=key, backlog=backlog, note=note
    ),
    "meet": lambda case_id, actor, met_on, summary: leaders.leader_meet(
        case_id=case_id, actor=actor, met_on=met_on, summary=summary
    ),
    "plan": lambda case_id, actor, plan: leaders.leader_plan(
        case_id=case_id, actor=actor, plan=plan
    ),
    "check": lambda case_id, actor, progress: leaders.leader_check(
        case_id=case_id, actor=actor, progress=progress
    ),
    "progress": lambda case_id, actor, progress: leaders.progress_report(
        case_id=case_id, actor=actor, progress=progress
    ),
}


def offered(user, case) -> set[str]:
    names = set()
    for name, check in leaders.offered_checks().items():
        try:
            check(user, case)
        except (NotAllowed, TransitionRefused):
            continue
        names.add(name)
    return names


def form_kwargs(user, case, name: str) -> dict:
    """The leader's select and the marks' current values are the case's own."""
    return {"case": case} if name in ("lead", "mark") else {}


def page_context(user, case) -> dict:
    steps = leader_selectors.case_steps_last(case)
    backlog = backlog_selectors.is_backlog(case)
    active = leader_selectors.case_leader_active(case)
    return {
        "ownership": {
            "leader": active,
            "leader_label": leader_selectors.leader_label(active.leader) if active else "",
            "earlier": leader_selectors.case_leaders_earlier(case),
            "met": steps.get(CaseEvent.Action.MEET),
            "plan": steps.get(CaseEvent.Action.PLAN),
            "check": steps.get(CaseEvent.Action.CHECK),
            "progress": steps.get(CaseEvent.Action.PROGRESS),
            "backlog": backlog,
            "key": case.is_key and case.status in backlog_selectors.UNRESOLVED,
            "needs_leader": (backlog or case.is_key) and active is None,
            "shown": active is not None or backlog or case.is_key or bool(steps),
        }
    }
