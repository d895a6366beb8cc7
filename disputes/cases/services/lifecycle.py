"""转、办、评: the changes of a case after intake, each recorded as an event.

Every function takes the case's id, locks its row, checks the state and the
actor's right, changes it, stores the new deadline and appends one event
(disputes.cases.services.events). A case entering handling has a team proposed
by task name (disputes.tasks.team_propose); a resolved one is announced
(case_resolved), so that its team gets room again: teams are built on cases.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disputes.cases import policies
from disputes.cases.deadlines import (
    HANDLING_DAYS,
    MAX_EXTENSION_DAYS,
    REVIEW_DAYS,
    basis_merge,
    deadline_after,
)
from disputes.cases.models import LEVEL_ORDER, Case, CaseEvent
from disputes.cases.services.events import event_record
from disputes.cases.signals import case_resolved
from disputes.core.errors import NotAllowed, TransitionRefused
from disputes.core.outbox import task_after_commit

S = Case.Status
ACTIVE = (S.REPORTED, S.ACCEPTED, S.IN_HANDLING, S.IN_REVIEW)
HANDLING = (S.ACCEPTED, S.IN_HANDLING, S.IN_REVIEW)


def locked(case_id: int) -> Case:
    return Case.objects.select_for_update().get(pk=case_id)


def require_status(case: Case, statuses):
    """Refuse (HTTP 409) a change of a case whose status is not one of `statuses`."""
    if case.status not in statuses:
        raise TransitionRefused(
            _("This change is not possible while the case is %(status)s.")
            % {"status": case.get_status_display()}
        )


def _require_holder(actor, case: Case):
    if not policies.holds(actor, case):
        raise NotAllowed(
            _("Only the %(level)s level that holds this case may do this.")
            % {"level": case.get_level_display()}
        )


def require_handler_or_above(actor, case: Case):
    if not (policies.holds(actor, case) or policies.acts_above(actor, case)):
        raise NotAllowed(_("Only those handling this case or above them may do this."))


def _record(case: Case, actor, action, before_status, before_level, note="", fields=(), reply=""):
    case.save(update_fields=["status", "level", *fields])
    return event_record(
        case,
        actor,
        action,
        note,
        from_status=before_status,
        from_level=before_level,
        reply=reply,
    )


def set_deadline(case: Case, kind: str, start, days: int):
    deadline = deadline_after(start, days)
    case.due_date, case.deadline_kind, case.deadline_basis = deadline.due, kind, deadline.basis


def clear_deadline(case: Case):
    case.due_date, case.deadline_kind, case.deadline_basis = None, "", {}


DEADLINE_FIELDS = ("due_date", "deadline_kind", "deadline_basis")


# --- who may do what now: each change's precondition, shared with the pages that
# offer only the changes a user may make (disputes.cases.services.actions) ------------


def check_accept(actor, case: Case) -> None:
    """Accepting or not accepting: a case just reported, by the level that holds it."""
    require_status(case, [S.REPORTED])
    _require_holder(actor, case)
    if case.department_id is not None:
        # routed while reported: the department's acceptance of the routing is the 受理
        raise TransitionRefused(
            _("A department accepts or returns the routing instead; the case is accepted with it.")
        )


def check_escalate(actor, case: Case) -> None:
    require_status(case, ACTIVE)
    _require_holder(actor, case)
    if case.department_id is not None:
        raise TransitionRefused(
            _("A department does not escalate a case; it returns it to the unit that routed it.")
        )
    if case.level == LEVEL_ORDER[-1]:
        raise TransitionRefused(_("The county level is the highest; there is no level above."))


def check_resolve(actor, case: Case) -> None:
    """The holder resolves; so may the case's team after a settled session, where its level allows."""
    require_status(case, HANDLING)
    if case.department_id is not None and case.deadline_kind == Case.DeadlineKind.ACCEPTANCE:
        # routed, not yet accepted by the department (its acceptance sets the handling limit)
        raise TransitionRefused(_("The department accepts the routing first."))
    if policies.holds(actor, case):
        return
    if (
        case.level in settings.TEAM_RESOLVES_AT_LEVELS
        and policies.team_member_of_case(actor, case)
        and case.sessions.filter(outcome=Case.Outcome.SETTLED).exists()
    ):
        return
    _require_holder(actor, case)


def check_follow_up(actor, case: Case) -> None:
    """The return visit: by the holder or above; for a routed case, by the unit that routed it."""
    require_status(case, [S.RESOLVED])
    if case.department_id is not None and not policies.acts_above(actor, case):
        raise NotAllowed(_("The return visit is made by the unit that routed the case."))
    require_handler_or_above(actor, case)


def check_reopen(actor, case: Case) -> None:
    require_status(case, [S.FOLLOWED_UP])
    if case.satisfaction != Case.Satisfaction.NOT_SATISFIED:
        raise TransitionRefused(
            _("Only a case whose complainant was not satisfied can be reopened.")
        )
    require_handler_or_above(actor, case)


def check_extend(actor, case: Case) -> None:
    require_status(case, HANDLING)
    if case.deadline_kind != Case.DeadlineKind.HANDLING:
        raise TransitionRefused(_("Only the handling time limit can be extended."))
    if case.extended_days:
        raise TransitionRefused(
            _("The handling time limit was extended already; it can be extended once.")
        )
    if not policies.leads_over(actor, case):
        raise NotAllowed(_("An extension is approved by a township leader or above."))


def check_close(actor, case: Case) -> None:
    require_status(case, [S.FOLLOWED_UP])
    require_handler_or_above(actor, case)


@transaction.atomic
def case_accept(*, case_id: int, actor, note: str = "", reply: str = "") -> Case:
    """受理. `reply` tells the complainant (the desk and the API require it)."""
    case = locked(case_id)
    check_accept(actor, case)
    before = case.status
    case.status, case.accepted_at = S.ACCEPTED, timezone.now()
    set_deadline(case, Case.DeadlineKind.HANDLING, timezone.localdate(), HANDLING_DAYS)
    _record(
        case,
        actor,
        CaseEvent.Action.ACCEPT,
        before,
        case.level,
        note,
        ("accepted_at", *DEADLINE_FIELDS),
        reply,
    )
    propose_team_after_commit(case.pk)
    return case


@transaction.atomic
def case_reject(*, case_id: int, actor, reason: str, reply: str = "") -> Case:
    """不予受理, with the reason the regulations require in writing (`reply`)."""
    case = locked(case_id)
    check_accept(actor, case)
    before = case.status
    case.status, case.closed_at = S.NOT_ACCEPTED, timezone.now()
    clear_deadline(case)
    _record(
        case,
        actor,
        CaseEvent.Action.REJECT,
        before,
        case.level,
        reason,
        ("closed_at", *DEADLINE_FIELDS),
        reply,
    )
    return case


@transaction.atomic
def case_escalate(*, case_id: int, actor, reason: str) -> Case:
    """Hand the case one level up (grid → village → township → county)."""
    case = locked(case_id)
    check_escalate(actor, case)
    return escalate_locked(case, actor, reason)


def escalate_locked(case: Case, actor, reason: str) -> Case:
    """Move a locked case one level up; `actor` is None when the platform does it.

    A case a department holds stays with it (TransitionRefused): supervision tells
    the unit that routed it instead (disputes.oversight).
    """
    if case.department_id is not None:
        raise TransitionRefused(_("A case held by a department is not escalated."))
    index = LEVEL_ORDER.index(case.level)
    if index == len(LEVEL_ORDER) - 1:
        raise TransitionRefused(_("The county level is the highest; there is no level above."))
    up = LEVEL_ORDER[index + 1]
    if (up == "village" and case.village_id is None) or (
        up == "township" and case.township_id is None
    ):
        raise TransitionRefused(_("The case has no unit at the next level."))
    before_status, before_level = case.status, case.level
    case.level = up
    if case.status == S.ACCEPTED:
        case.status = S.IN_HANDLING
    _record(case, actor, CaseEvent.Action.ESCALATE, before_status, before_level, reason)
    if case.status in HANDLING and case.team_id is None:
        propose_team_after_commit(case.pk)
    return case


def propose_team_after_commit(case_id: int) -> None:
    """Queue the team proposal for a case entering handling, once the change is committed.

    Through the outbox: a broker that is down delays the proposal, never loses it.
    """
    task_after_commit("disputes.tasks.team_propose", case_id)


@transaction.atomic
def case_resolve(*, case_id: int, actor, outcome: str, note: str = "", reply: str = "") -> Case:
    """办结. `reply` is the handling opinion the complainant reads (处理意见)."""
    case = locked(case_id)
    check_resolve(actor, case)
    before = case.status
    case.status, case.outcome, case.resolved_at = S.RESOLVED, outcome, timezone.now()
    case.resolved_on_time = None if case.due_date is None else timezone.localdate() <= case.due_date
    # The return visit (回访) is the next stage, with its own time limit.
    set_deadline(
        case, Case.DeadlineKind.FOLLOW_UP, timezone.localdate(), settings.CASE_FOLLOW_UP_DAYS
    )
    _record(
        case,
        actor,
        CaseEvent.Action.RESOLVE,
        before,
        case.level,
        note,
        ("outcome", "resolved_at", "resolved_on_time", *DEADLINE_FIELDS),
        reply,
    )
    case_resolved.send(sender=Case, case=case)  # its team gets room again (disputes.teams)
    return case


@transaction.atomic
def case_follow_up(*, case_id: int, actor, satisfaction: str, note: str = "") -> Case:
    """回访: the complainant's satisfaction with the outcome."""
    case = locked(case_id)
    check_follow_up(actor, case)
    before = case.status
    case.status, case.satisfaction = S.FOLLOWED_UP, satisfaction
    clear_deadline(case)
    _record(
        case,
        actor,
        CaseEvent.Action.FOLLOW_UP,
        before,
        case.level,
        note,
        ("satisfaction", *DEADLINE_FIELDS),
    )
    return case


@transaction.atomic
def case_reopen(*, case_id: int, actor, reason: str, reply: str = "") -> Case:
    """复查: an unsatisfied follow-up sends the case back for review within 30 days."""
    case = locked(case_id)
    check_reopen(actor, case)
    before = case.status
    case.status, case.reviews = S.IN_REVIEW, case.reviews + 1
    case.outcome, case.satisfaction, case.resolved_at = "", "", None
    case.resolved_on_time = None
    set_deadline(case, Case.DeadlineKind.REVIEW, timezone.localdate(), REVIEW_DAYS)
    _record(
        case,
        actor,
        CaseEvent.Action.REOPEN,
        before,
        case.level,
        reason,
        (
            "reviews",
            "outcome",
            "satisfaction",
            "resolved_at",
            "resolved_on_time",
            *DEADLINE_FIELDS,
        ),
        reply,
    )
    propose_team_after_commit(case.pk)
    return case


@transaction.atomic
def case_extend(*, case_id: int, actor, days: int, reason: str, reply: str = "") -> Case:
    """Extend the handling limit once, by at most 30 days, with a reason."""
    case = locked(case_id)
    check_extend(actor, case)
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise TransitionRefused(
            _("An extension is 1 to %(max)d days.") % {"max": MAX_EXTENSION_DAYS}
        )
    if not reason.strip():
        raise TransitionRefused(_("An extension needs a reason."))
    before = case.status
    deadline = deadline_after(case.due_date, days)
    case.due_date, case.extended_days = deadline.due, days
    case.deadline_basis = basis_merge(case.deadline_basis, deadline.basis)
    _record(
        case,
        actor,
        CaseEvent.Action.EXTEND,
        before,
        case.level,
        reason,
        ("due_date", "extended_days", "deadline_basis"),
        reply,
    )
    return case


@transaction.atomic
def case_close(*, case_id: int, actor, note: str = "") -> Case:
    case = locked(case_id)
    check_close(actor, case)
    before = case.status
    case.status, case.closed_at = S.CLOSED, timezone.now()
    _record(case, actor, CaseEvent.Action.CLOSE, before, case.level, note, ("closed_at",))
    return case
