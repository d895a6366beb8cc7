"""包案: naming a case's leader, marking key and backlog cases, the leader's "three in
person" (面谈, 化解方案, checked progress) and the weekly progress note of backlog cases.

Every function takes the case's id, locks its row (lifecycle.locked), checks the
actor's right and the case's state, and appends one event. Event notes are
written in the site's language (settings.LANGUAGE_CODE), like the platform's
own notes; refusals speak the user's.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disputes.cases import policies
from disputes.cases.models import Case, CaseEvent
from disputes.cases.services.events import event_record
from disputes.cases.services.lifecycle import locked, require_status
from disputes.core.areas import staff_of
from disputes.core.errors import CaseInputError, NotAllowed, TransitionRefused
from disputes.oversight.services.notifications import notifications_create
from disputes.ownership.models import CaseLeader
from disputes.ownership.selectors.backlog import (
    MARK_BACKLOG,
    MARK_KEY,
    UNMARK_BACKLOG,
    UNMARK_KEY,
    UNRESOLVED,
    is_backlog,
)
from disputes.ownership.selectors.leaders import eligible_leaders, leader_label
from villages.models import Staff

UNIT_MAX = CaseLeader._meta.get_field("unit").max_length
PERSON_MAX = CaseLeader._meta.get_field("person").max_length
TEXT_MAX = 2000


def _text(field: str, value, max_length: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if not value:
        raise CaseInputError(field, _("This field is required."))
    if len(value) > max_length:
        raise CaseInputError(field, _("At most %(max)d characters, please.") % {"max": max_length})
    return value


def _site_language(text_of):
    with translation.override(settings.LANGUAGE_CODE):
        return text_of()


# --- who may do what now: shared with the case page, which offers only what passes --


def check_name(actor, case: Case) -> None:
    """The county office (any case of its county) or a township leader (of their township)."""
    require_status(case, Case.OPEN_STATUSES)
    if not policies.leads_over(actor, case):
        raise NotAllowed(
            _("A 包案 leader is named by the county office or a leader of the case's township.")
        )


def check_mark(actor, case: Case) -> None:
    require_status(case, Case.OPEN_STATUSES)
    staff = staff_of(actor)
    county_office = (
        staff is not None
        and staff.role == Staff.Role.COUNTY_OFFICE
        and staff.county_id == case.county_id
    )
    if not (actor.is_superuser or county_office):
        raise NotAllowed(_("Only the county office marks key and backlog cases."))


def check_leader_step(actor, case: Case) -> None:
    """The three in person: by the case's active 包案 leader, while the case is open."""
    require_status(case, Case.OPEN_STATUSES)
    if not CaseLeader.objects.filter(
        county_id=case.county_id, case_id=case.pk, leader_id=actor.pk, ended_at__isnull=True
    ).exists():
        raise NotAllowed(_("Only the case's 包案 leader records this."))


def check_progress(actor, case: Case) -> None:
    """The weekly note of a backlog (or key) case: its leader, its holders or the unit above."""
    require_status(case, UNRESOLVED)
    if not (is_backlog(case) or case.is_key):
        raise TransitionRefused(_("Weekly progress is reported for backlog and key cases."))
    leads = CaseLeader.objects.filter(
        county_id=case.county_id, case_id=case.pk, leader_id=actor.pk, ended_at__isnull=True
    ).exists()
    if not (leads or policies.holds(actor, case) or policies.acts_above(actor, case)):
        raise NotAllowed(
            _("Weekly progress is reported by the 包案 leader or those handling the case.")
        )


# --- changes -------------------------------------------------------------------------


@transaction.atomic
def leader_name(*, case_id: int, actor, leader_id: int, unit: str, person: str) -> CaseLeader:
    """Make `leader_id` the case's 包案 leader, with the responsible unit and person.

    The leader must be an active township leader of the case's township or a
    county leader (the county office's staff) of its county; CaseInputError on
    "leader" otherwise. A leader named before is ended (one active per case).
    The new leader is notified, with a link to the case.
    """
    case = locked(case_id)
    check_name(actor, case)
    unit = _text("unit", unit, UNIT_MAX)
    person = _text("person", person, PERSON_MAX)
    leader = eligible_leaders(case).filter(pk=leader_id).first()
    if leader is None:
        raise CaseInputError(
            "leader",
            _(
                "The 包案 leader is a leader of the case's township or a county leader "
                "of its county."
            ),
        )
    current = (
        CaseLeader.objects.select_for_update()
        .filter(case_id=case.pk, ended_at__isnull=True)
        .select_related("leader")
        .first()
    )
    if current is not None:
        if (current.leader_id, current.unit, current.person) == (leader.pk, unit, person):
            raise TransitionRefused(_("This leader already leads the case, as given."))
        current.ended_at = timezone.now()
        current.save(update_fields=["ended_at"])
    named = CaseLeader.objects.create(
        case=case, county_id=case.county_id, leader=leader, unit=unit, person=person, named_by=actor
    )
    values = {"leader": leader_label(leader), "unit": unit, "person": person}

    def note():
        text = (
            _("包案 leader: %(leader)s; responsible unit: %(unit)s; responsible person: %(person)s")
            % values
        )
        if current is not None:
            text += "\n" + _("Replaces %(previous)s.") % {"previous": leader_label(current.leader)}
        return text

    event_record(case, actor, CaseEvent.Action.LEAD, _site_language(note))
    message = _site_language(
        lambda: (
            _("You are the 包案 leader of case #%(case)d (%(category)s).")
            % {"case": case.pk, "category": case.category.name}
        )
    )
    notifications_create(
        users=[leader], message=message[:200], link=reverse("desk-case", args=[case.pk])
    )
    return named


@transaction.atomic
def case_mark(*, case_id: int, actor, key: bool, backlog: bool, note: str = "") -> Case:
    """The county office marks the case key (重点) and/or backlog (积案), or unmarks it.

    One NOTE event says what changed; its first line starts with MARK_BACKLOG when
    the case became marked backlog (the backlog's weekly figures date the marking
    by it). TransitionRefused when nothing changes.
    """
    case = locked(case_id)
    check_mark(actor, case)
    note = (note or "").strip()
    if len(note) > TEXT_MAX:
        raise CaseInputError("note", _("At most %(max)d characters, please.") % {"max": TEXT_MAX})
    tags = []
    if backlog != case.marked_backlog:
        tags.append(MARK_BACKLOG if backlog else UNMARK_BACKLOG)
    if key != case.is_key:
        tags.append(MARK_KEY if key else UNMARK_KEY)
    if not tags:
        raise TransitionRefused(_("The case is already marked so."))
    case.is_key, case.marked_backlog = key, backlog

    def text():
        said = {
            MARK_BACKLOG: _("marked as a backlog case"),
            UNMARK_BACKLOG: _("no longer marked as a backlog case"),
            MARK_KEY: _("marked as a key case"),
            UNMARK_KEY: _("no longer a key case"),
        }
        line = "".join(tags) + " " + "; ".join(str(said[tag]) for tag in tags)
        return f"{line}\n{note}" if note else line

    case.save(update_fields=["is_key", "marked_backlog"])
    event_record(case, actor, CaseEvent.Action.NOTE, _site_language(text))
    return case


@transaction.atomic
def leader_meet(*, case_id: int, actor, met_on: datetime.date, summary: str) -> CaseEvent:
    """面谈: the leader met the complainant on `met_on` (not in the future, not before the report)."""
    case = locked(case_id)
    check_leader_step(actor, case)
    summary = _text("summary", summary)
    if met_on > timezone.localdate():
        raise CaseInputError("met_on", _("The meeting cannot be in the future."))
    if met_on < timezone.localdate(case.reported_at):
        raise CaseInputError("met_on", _("The meeting cannot be before the case was reported."))
    return event_record(case, actor, CaseEvent.Action.MEET, summary, on_date=met_on)


@transaction.atomic
def leader_plan(*, case_id: int, actor, plan: str) -> CaseEvent:
    """化解方案: the plan the leader agreed for the case."""
    case = locked(case_id)
    check_leader_step(actor, case)
    return event_record(case, actor, CaseEvent.Action.PLAN, _text("plan", plan))


@transaction.atomic
def leader_check(*, case_id: int, actor, progress: str) -> CaseEvent:
    """The leader checked how the plan is going."""
    case = locked(case_id)
    check_leader_step(actor, case)
    return event_record(case, actor, CaseEvent.Action.CHECK, _text("progress", progress))


@transaction.atomic
def progress_report(*, case_id: int, actor, progress: str) -> CaseEvent:
    """每周上报推进情况: this week's progress note of a backlog or key case."""
    case = locked(case_id)
    check_progress(actor, case)
    return event_record(case, actor, CaseEvent.Action.PROGRESS, _text("progress", progress))


def offered_checks():
    """Action name → its check, for the case page (disputes.desk.leader_actions)."""
    return {
        "lead": check_name,
        "mark": check_mark,
        "meet": check_leader_step,
        "plan": check_leader_step,
        "check": check_leader_step,
        "progress": check_progress,
    }
