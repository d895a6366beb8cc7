"""联席会议: recording a joint meeting with its decisions (交办), and a decision done.

A meeting is recorded after it was held; every case it discussed gets a
MEETING event dated the meeting's day, and a decision done about a case a
DECISION event. Everything a form sends is checked before anything is
written: one bad decision and nothing is recorded.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from disputes.cases import policies as case_policies
from disputes.cases.models import Case, CaseEvent
from disputes.cases.services.events import event_record
from disputes.core.errors import CaseInputError, NotAllowed, TransitionRefused
from disputes.core.notes import system_note
from disputes.meetings import policies
from disputes.meetings.models import JointMeeting, MeetingDecision
from disputes.meetings.selectors import OFFICE, assignee_label
from villages.models import Department, Township

# A meeting is recorded within a year of being held; a decision is due within a year of it.
MAX_AGE_DAYS = 366
MAX_DUE_DAYS = 366
MAX_CASES = 50
MAX_DECISIONS = 30
MAX_CASE_ID = 2**31 - 1
TITLE_LENGTH = JointMeeting._meta.get_field("title").max_length


def meeting_record(
    *, actor, held_on, title, units_present, minutes="", case_ids=(), decisions=()
) -> JointMeeting:
    """Record a meeting of the actor's conference (the county office's, or a township's).

    `case_ids`: the numbers of the cases discussed, all in the actor's area.
    `decisions`: dicts of text, assignee ("office", "t<township id>", "d<department id>",
    as offered by selectors.assignee_choices), due_date and an optional case_id (one of
    those discussed). CaseInputError (field "held_on", "title", "units_present",
    "case_ids" or "decisions", the row number in the message) writes nothing.
    """
    unit = policies.recording_unit(actor)
    if unit is None:
        raise NotAllowed(
            _("Joint meetings are recorded by the county office or a township leader.")
        )
    county_id, township_id = unit
    today = timezone.localdate()
    title = (title or "").strip()
    units_present = (units_present or "").strip()
    if not title:
        raise CaseInputError("title", _("Give the meeting a title."))
    if len(title) > TITLE_LENGTH:
        raise CaseInputError(
            "title", _("A title has at most %(max)d characters.") % {"max": TITLE_LENGTH}
        )
    if not units_present:
        raise CaseInputError("units_present", _("Say which units were present."))
    if held_on > today:
        raise CaseInputError("held_on", _("A meeting is recorded once it has been held."))
    if held_on < today - timedelta(days=MAX_AGE_DAYS):
        raise CaseInputError("held_on", _("Only meetings of the last 12 months can be recorded."))
    ids = _case_ids(case_ids)
    cases = _cases_in_area(actor, ids)
    decisions = list(decisions)
    if len(decisions) > MAX_DECISIONS:
        raise CaseInputError(
            "decisions", _("At most %(max)d decisions per meeting.") % {"max": MAX_DECISIONS}
        )
    rows = [
        _decision_row(number, row, county_id, township_id, held_on, ids)
        for number, row in enumerate(decisions, start=1)
    ]
    with transaction.atomic():
        locked = list(
            Case.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")
        )
        meeting = JointMeeting.objects.create(
            county_id=county_id,
            township_id=township_id,
            held_on=held_on,
            title=title,
            units_present=units_present,
            minutes=(minutes or "").strip(),
            recorded_by=actor,
        )
        meeting.cases.set(cases, through_defaults={"county_id": county_id})
        created = MeetingDecision.objects.bulk_create(
            MeetingDecision(meeting=meeting, county_id=county_id, **row) for row in rows
        )
        for case in locked:
            event_record(
                case,
                actor,
                CaseEvent.Action.MEETING,
                _meeting_note(meeting, [d for d in created if d.case_id == case.pk]),
                on_date=held_on,
            )
    return meeting


def _case_ids(case_ids) -> list[int]:
    ids = []
    for value in case_ids:
        try:
            number = int(str(value).strip().lstrip("#"))
        except ValueError:
            raise CaseInputError(
                "case_ids", _("“%(value)s” is not a case number.") % {"value": str(value)[:20]}
            ) from None
        if not 0 < number <= MAX_CASE_ID:
            raise CaseInputError("case_ids", _("Case #%(id)s is not known.") % {"id": number})
        if number not in ids:
            ids.append(number)
    if len(ids) > MAX_CASES:
        raise CaseInputError(
            "case_ids", _("At most %(max)d cases per meeting.") % {"max": MAX_CASES}
        )
    return ids


def _cases_in_area(actor, ids: list[int]) -> list[Case]:
    """The cases, if each lies in the actor's area; one outside reads as unknown."""
    found = {
        case.pk: case for case in Case.objects.filter(case_policies.case_scope_q(actor), pk__in=ids)
    }
    for number in ids:
        if number not in found:
            raise CaseInputError(
                "case_ids", _("Case #%(id)d is not known in your area.") % {"id": number}
            )
    return [found[number] for number in ids]


def _decision_row(number, row, county_id, township_id, held_on, case_ids) -> dict:
    def refuse(message):
        raise CaseInputError(
            "decisions",
            _("Decision %(row)d: %(message)s") % {"row": number, "message": message},
        )

    text = (row.get("text") or "").strip()
    if not text:
        refuse(_("say what was decided."))
    due = row.get("due_date")
    if due is None:
        refuse(_("give the date it is due."))
    if due <= held_on:
        refuse(_("the due date comes after the meeting."))
    if due > held_on + timedelta(days=MAX_DUE_DAYS):
        refuse(_("the due date is within a year of the meeting."))
    case_id = row.get("case_id")
    if case_id is not None and case_id not in case_ids:
        refuse(_("case #%(id)s is not among the cases discussed.") % {"id": case_id})
    assignee = _assignee(row.get("assignee") or "", county_id, township_id)
    if assignee is None:
        refuse(_("choose who it is assigned to."))
    return {"text": text, "due_date": due, "case_id": case_id, **assignee}


def _assignee(key: str, county_id, township_id) -> dict | None:
    """{"department_id": …} or {"township_id": …} or {} (the county office); None if not allowed."""
    if key == OFFICE:
        return {} if township_id is None else None
    kind, rest = key[:1], key[1:]
    if not rest.isdigit() or len(rest) > 12:
        return None
    pk = int(rest)
    if kind == "d":
        ok = Department.objects.filter(
            pk=pk, county_id=county_id, township_id=township_id, active=True
        ).exists()
        return {"department_id": pk} if ok else None
    if kind == "t":
        if township_id is not None:
            return {"township_id": pk} if pk == township_id else None
        ok = Township.objects.filter(pk=pk, county_id=county_id).exists()
        return {"township_id": pk} if ok else None
    return None


def _meeting_note(meeting: JointMeeting, decisions) -> str:
    note = system_note(
        gettext_noop("Discussed at the joint meeting “%(title)s” (%(day)s)."),
        title=meeting.title,
        day=meeting.held_on.isoformat(),
    )
    for decision in decisions:
        note += " " + system_note(
            gettext_noop("Decided: %(text)s (assigned to %(assignee)s, due %(due)s)."),
            text=decision.text,
            assignee=site_label(decision),
            due=decision.due_date.isoformat(),
        )
    return note


def site_label(decision) -> str:
    """Whom the decision is assigned to, in the site's language (for stored text)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(assignee_label(decision))


def decision_done(*, decision_id: int, actor, note: str) -> MeetingDecision:
    """The assignee (or the meeting's unit) marks a decision done, saying what was done.

    NotAllowed for anyone else; TransitionRefused if it is done already. A decision
    about a case adds a DECISION event to it.
    """
    note = (note or "").strip()
    if not note:
        raise CaseInputError("note", _("Say what was done."))
    with transaction.atomic():
        decision = (
            MeetingDecision.objects.select_for_update(of=("self",))
            .select_related("meeting", "department", "township")
            .filter(pk=decision_id)
            .first()
        )
        if decision is None:
            raise NotAllowed(_("This decision is not yours to mark done."))
        if decision.done_at is not None:
            raise TransitionRefused(_("This decision is already done."))
        if not policies.may_mark_done(actor, decision):
            raise NotAllowed(
                _("A decision is marked done by whom it was assigned to, or by the meeting's unit.")
            )
        case = (
            Case.objects.select_for_update(of=("self",)).get(pk=decision.case_id)
            if decision.case_id is not None
            else None
        )
        decision.done_at = timezone.now()
        decision.done_note = note
        decision.done_by = actor
        decision.save(update_fields=["done_at", "done_note", "done_by"])
        if case is not None:
            event_record(
                case,
                actor,
                CaseEvent.Action.DECISION,
                system_note(
                    gettext_noop(
                        "Decision of the joint meeting “%(title)s” done (%(assignee)s): %(text)s"
                        " — %(note)s"
                    ),
                    title=decision.meeting.title,
                    assignee=site_label(decision),
                    text=decision.text,
                    note=note,
                ),
            )
    return decision


def decision_path(decision_id: int) -> str:
    return reverse("meeting-decision", args=[decision_id])
