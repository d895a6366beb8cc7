"""督办: the hourly look for cases due soon or overdue, notices, notifications, escalation.

Every stage with a time limit is supervised: acceptance, handling and review
of an active case, and the return visit (回访) of a resolved one. Due-soon and
overdue notices go to the case's holders, who do the follow-up too, and to its
包案 leader if it has one.

A case overdue past SUPERVISION_ESCALATE_AFTER_DAYS goes one level up by
itself, except at the follow-up stage: a resolved case is not escalated (a
holder may not escalate it either, and its level records where it was
settled, which the figures count), so instead its overdue notice is also
sent to those one level above, who may do the return visit themselves.

A case a department holds (转办) is never escalated: its notices name the
department and go to its staff, and once it is overdue past that limit the
unit that routed it is told instead, once. Its return visit is that unit's.

Safe to run any number of times: each case is handled under its row lock, and
a notice of a kind is issued once per deadline and level (also a database
constraint); the level above is told of an overdue return visit once.
"""

import contextlib
import copy
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from disputes.cases import policies
from disputes.cases.deadlines import DUE_SOON_DAYS
from disputes.cases.models import LEVEL_ORDER, Case, CaseEvent
from disputes.cases.services.events import event_record
from disputes.cases.services.lifecycle import escalate_locked
from disputes.core.errors import NotAllowed, TransitionRefused
from disputes.core.notes import system_note
from disputes.oversight.models import Notification, SupervisionNotice
from disputes.oversight.selectors.supervision import SUPERVISED
from disputes.oversight.services.notifications import notifications_create


def supervision_run(*, today=None) -> int:
    """Supervise every case whose time limit runs out within DUE_SOON_DAYS or has; how many."""
    today = today or timezone.localdate()
    ids = list(
        Case.objects.filter(
            status__in=SUPERVISED, due_date__lte=today + timedelta(days=DUE_SOON_DAYS)
        )
        .order_by("due_date", "pk")
        .values_list("pk", flat=True)
    )
    for case_id in ids:
        _supervise(case_id, today)
    return len(ids)


def _unit_name(case: Case) -> str:
    """The unit a notice is for: the holding department, else the level's unit (also for a
    routed case's return visit, which the unit that routed it makes)."""
    if case.department_id is not None and case.status != Case.Status.RESOLVED:
        return case.department.name
    unit = {"grid": case.grid, "village": case.village, "township": case.township}.get(
        case.level
    ) or case.county
    return unit.name


@transaction.atomic
def _supervise(case_id: int, today) -> SupervisionNotice | None:
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("grid", "village", "township", "county", "department")
        .get(pk=case_id)
    )
    if case.status not in SUPERVISED or case.due_date is None:
        return
    days = (today - case.due_date).days
    kind = SupervisionNotice.Kind.OVERDUE if days > 0 else SupervisionNotice.Kind.DUE_SOON
    notice = notice_issue(case=case, kind=kind, days_overdue=max(days, 0))
    limit = settings.SUPERVISION_ESCALATE_AFTER_DAYS
    if kind != SupervisionNotice.Kind.OVERDUE or days <= limit:
        return notice
    if case.status == Case.Status.RESOLVED:
        _tell_level_above(case, notice, days)
    elif case.department_id is not None:
        _tell_routing_unit(case, notice, days)  # a department does not escalate
    elif not _escalated_since(case, today - timedelta(days=limit)):
        reason = system_note(
            gettext_noop("Overdue by %(days)d days: escalated by supervision (督办)."), days=days
        )
        with contextlib.suppress(TransitionRefused):  # at the county already: the notice stands
            escalate_locked(case, None, reason)
    return notice


def _tell_level_above(case: Case, notice: SupervisionNotice, days: int) -> None:
    """Send an overdue return visit's notice to those one level above the holder, once."""
    index = LEVEL_ORDER.index(case.level)
    if index == len(LEVEL_ORDER) - 1:
        return
    above = copy.copy(case)  # the case as the level above would hold it, to find its holders
    above.level = LEVEL_ORDER[index + 1]
    above.department_id = None  # a routed case's return visit is the territorial unit's
    users = list(policies.holders_of(above))
    if not users or Notification.objects.filter(notice=notice, user__in=users).exists():
        return
    notifications_create(users=users, notice=notice)
    event_record(
        case,
        None,
        CaseEvent.Action.SUPERVISE,
        system_note(
            gettext_noop("Return visit overdue by %(days)d days: %(unit)s was told (督办)."),
            days=days,
            unit=_unit_name(above),
        ),
    )


def _tell_routing_unit(case: Case, notice: SupervisionNotice, days: int) -> None:
    """A department-held case long overdue: tell the unit that routed it, once per notice."""
    users = list(policies.territorial_holders_of(case))
    if not users or Notification.objects.filter(notice=notice, user__in=users).exists():
        return
    notifications_create(users=users, notice=notice)
    event_record(
        case,
        None,
        CaseEvent.Action.SUPERVISE,
        system_note(
            gettext_noop(
                "Overdue by %(days)d days at %(department)s: %(unit)s, which routed it, was told (督办)."
            ),
            days=days,
            department=case.department.name,
            unit=_unit_name_territorial(case),
        ),
    )


def _unit_name_territorial(case: Case) -> str:
    territorial = copy.copy(case)
    territorial.department_id = None
    return _unit_name(territorial)


def _escalated_since(case: Case, day) -> bool:
    return case.events.filter(action=CaseEvent.Action.ESCALATE, at__date__gte=day).exists()


def notice_issue(*, case: Case, kind: str, days_overdue: int = 0, issued_by=None, note: str = ""):
    """Issue a 督办单 for the case's current deadline and level, notify its holders, note it on the timeline.

    Automatic notices are issued once per kind, deadline and level; the
    existing one is returned. Call holding the case's row lock.
    """
    values = {
        "case": case,
        "kind": kind,
        "stage": case.deadline_kind,
        "due_date": case.due_date,
        "level": case.level,
    }
    if kind != SupervisionNotice.Kind.MANUAL:
        existing = SupervisionNotice.objects.filter(county_id=case.county_id, **values).first()
        if existing is not None:
            return existing
    notice = SupervisionNotice.objects.create(
        **values,
        county_id=case.county_id,
        unit_name=_unit_name(case),
        days_overdue=days_overdue,
        issued_by=issued_by,
        note=note,
    )
    if case.department_id is not None and case.status == Case.Status.RESOLVED:
        holders = list(policies.territorial_holders_of(case))  # who routed it does the visit
    else:
        holders = list(policies.holders_of(case))
    leaders = [user for user in policies.leaders_of(case) if user not in holders]
    notifications_create(users=holders + leaders, notice=notice)
    text = {
        SupervisionNotice.Kind.DUE_SOON: gettext_noop("Due soon: %(stage)s by %(due)s (%(unit)s)."),
        SupervisionNotice.Kind.OVERDUE: gettext_noop(
            "Overdue by %(days)d days: %(stage)s was due %(due)s (%(unit)s)."
        ),
        SupervisionNotice.Kind.MANUAL: gettext_noop(
            "Supervised by hand: %(stage)s due %(due)s (%(unit)s)."
        ),
    }[kind]
    stage = str(Case.DeadlineKind(case.deadline_kind).label) if case.deadline_kind else ""
    event_record(
        case,
        issued_by,
        CaseEvent.Action.SUPERVISE,
        system_note(
            text,
            stage=stage,
            due=case.due_date.isoformat(),
            unit=notice.unit_name,
            days=days_overdue,
        ),
    )
    return notice


@transaction.atomic
def notice_issue_by_hand(*, case_id: int, actor, note: str) -> SupervisionNotice:
    """A leader (township leader or above, over the case) supervises a case by hand."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("grid", "village", "township", "county", "department")
        .get(pk=case_id)
    )
    if not policies.leads_over(actor, case):
        raise NotAllowed(_("Cases are supervised by a township leader or above."))
    if case.status not in SUPERVISED or case.due_date is None:
        raise TransitionRefused(_("Only a case with a running time limit can be supervised."))
    days = max((timezone.localdate() - case.due_date).days, 0)
    return notice_issue(
        case=case, kind=SupervisionNotice.Kind.MANUAL, days_overdue=days, issued_by=actor, note=note
    )
