"""转办: routing a case to a department (主办) and others for input (协办), and the slips' life.

Every change locks the case's row first (then the slip), checks the state and the
actor's right with the `check_*` functions the desk also asks, changes the slip
and the case, and appends one event. The lead department holds the case while
its slip is pending or accepted (Case.department); a return or a withdrawal
restores the case's status and time limit exactly as they were before routing.
"""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from disputes.cases import policies
from disputes.cases.deadlines import HANDLING_DAYS, deadline_after
from disputes.cases.models import Case, CaseEvent
from disputes.cases.services.events import event_record
from disputes.cases.services.lifecycle import ACTIVE, DEADLINE_FIELDS, locked, require_status
from disputes.core.areas import staff_of
from disputes.core.errors import CaseInputError, NotAllowed, TransitionRefused
from disputes.core.notes import system_note
from disputes.departments.models import Routing
from disputes.departments.selectors.routing import departments_routable
from disputes.oversight.models import Notification
from disputes.oversight.services.notifications import notifications_create
from villages.models import Department, Staff

S = Case.Status
MAX_ASSISTS = 10
CASE_FIELDS = ("status", "department", "accepted_at", *DEADLINE_FIELDS)


def _case_link(case: Case) -> str:
    return f"/desk/cases/{case.pk}/"


def department_staff_of(department_id: int):
    """The active users working for the department."""
    return get_user_model().objects.filter(
        is_active=True,
        staff__role=Staff.Role.DEPARTMENT_STAFF,
        staff__department_id=department_id,
    )


# --- checks: shared with the desk, which offers only what passes -----------------------


def check_route(actor, case: Case) -> None:
    """Routing: the county office or a township leader over the case, while it is active."""
    require_status(case, ACTIVE)
    if case.department_id is not None:
        raise TransitionRefused(_("This case is already held by a department."))
    if not policies.leads_over(actor, case):
        raise NotAllowed(_("Cases are routed to departments by the county office or a township."))


def check_route_to(actor, case: Case, department: Department | None) -> None:
    if (
        department is None
        or not departments_routable(user=actor, case=case).filter(pk=department.pk).exists()
    ):
        raise CaseInputError(
            "department",
            _("Choose an active department of the county; a township routes to its own stations."),
        )


def reply_by_latest(today: date) -> date:
    """The latest reply-by date: the legal handling limit from today."""
    return deadline_after(today, HANDLING_DAYS).due


def check_reply_by(reply_by, today: date) -> None:
    if not isinstance(reply_by, date) or reply_by <= today:
        raise CaseInputError("reply_by", _("The reply-by date must be after today."))
    latest = reply_by_latest(today)
    if reply_by > latest:
        raise CaseInputError(
            "reply_by",
            _("The reply-by date may be at most the handling limit, %(latest)s.")
            % {"latest": latest.isoformat()},
        )


def _require_department_staff(actor, slip: Routing) -> None:
    if actor.is_superuser:
        return
    staff = staff_of(actor)
    if (
        staff is None
        or staff.role != Staff.Role.DEPARTMENT_STAFF
        or staff.department_id != slip.department_id
    ):
        raise NotAllowed(
            _("Only the staff of %(department)s may do this.")
            % {"department": slip.department.name}
        )


def check_accept(actor, slip: Routing) -> None:
    """Accepting: the slip's department, while it waits for acceptance."""
    _require_department_staff(actor, slip)
    if slip.status != Routing.Status.PENDING:
        raise TransitionRefused(_("Only a routing waiting for acceptance can be accepted."))


def check_return(actor, slip: Routing) -> None:
    """Returning (退回): the slip's department, within acceptance (the slip still pending)."""
    _require_department_staff(actor, slip)
    if slip.status != Routing.Status.PENDING:
        raise TransitionRefused(
            _("A routing can be returned only before it is accepted; ask the routing unit instead.")
        )
    if slip.role == Routing.Role.LEAD:
        require_status(slip.case, ACTIVE)


def check_assist_reply(actor, slip: Routing) -> None:
    """The co-handling department's input (协办意见), while its slip is open."""
    _require_department_staff(actor, slip)
    if slip.role != Routing.Role.ASSIST:
        raise TransitionRefused(
            _("The lead department replies by resolving the case, not with a co-handling reply.")
        )
    if slip.status not in Routing.OPEN_STATUSES:
        raise TransitionRefused(_("This co-handling request was answered or closed already."))


def check_withdraw(actor, slip: Routing) -> None:
    """Withdrawal: those who may route the case to that department, while the slip is open."""
    if slip.status not in Routing.OPEN_STATUSES:
        raise TransitionRefused(_("Only an open routing can be withdrawn."))
    case = slip.case
    if (
        not policies.leads_over(actor, case)
        or not departments_routable(user=actor, case=case, inactive=True)
        .filter(pk=slip.department_id)
        .exists()
    ):
        raise NotAllowed(_("Only the unit that may route this case can withdraw its routing."))
    if slip.role == Routing.Role.LEAD:
        require_status(case, ACTIVE)


def _locked_slip(routing_id: int) -> Routing:
    """Lock the slip's case, then the slip (the order every change of a case takes)."""
    case_id = Routing.objects.filter(pk=routing_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Routing.DoesNotExist
    case = locked(case_id)
    slip = Routing.objects.select_for_update().select_related("department").get(pk=routing_id)
    slip.case = case
    return slip


def _require_text(field: str, text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CaseInputError(field, message)
    return text


# --- changes --------------------------------------------------------------------------


@transaction.atomic
def routing_route(
    *, case_id: int, actor, department_id: int, reply_by, instructions: str = "", assist_ids=()
) -> Routing:
    """转办 the case to a lead department, and ask others for input (协办).

    The lead department holds the case at once; it accepts (受理) or returns it
    within settings.ROUTING_ACCEPT_DAYS (the case's time limit meanwhile, never
    after `reply_by`). Each department's active staff are notified.
    """
    case = locked(case_id)
    check_route(actor, case)
    today = timezone.localdate()
    check_reply_by(reply_by, today)
    department = Department.objects.filter(pk=department_id).first()
    check_route_to(actor, case, department)
    assist_ids = list(dict.fromkeys(int(pk) for pk in assist_ids or ()))
    if department.pk in assist_ids:
        raise CaseInputError("assist", _("The lead department cannot also be co-handling."))
    if len(assist_ids) > MAX_ASSISTS:
        raise CaseInputError(
            "assist", _("At most %(max)d co-handling departments.") % {"max": MAX_ASSISTS}
        )
    assists = list(departments_routable(user=actor, case=case).filter(pk__in=assist_ids))
    if len(assists) != len(assist_ids):
        raise CaseInputError("assist", _("Choose co-handling departments you may route to."))

    accept_by = min(deadline_after(today, settings.ROUTING_ACCEPT_DAYS).due, reply_by)
    instructions = (instructions or "").strip()
    common = {
        "case": case,
        "county_id": case.county_id,
        "routed_by": actor,
        "from_level": case.level,
        "reply_by": reply_by,
        "accept_by": accept_by,
        "instructions": instructions,
    }
    slip = Routing.objects.create(
        **common,
        department=department,
        role=Routing.Role.LEAD,
        prior_status=case.status,
        prior_due_date=case.due_date,
        prior_deadline_kind=case.deadline_kind,
        prior_deadline_basis=case.deadline_basis,
    )
    for other in assists:
        Routing.objects.create(**common, department=other, role=Routing.Role.ASSIST)

    case.department = department
    case.due_date, case.deadline_kind, case.deadline_basis = (
        accept_by,
        Case.DeadlineKind.ACCEPTANCE,
        {},
    )
    case.save(update_fields=CASE_FIELDS)
    note = system_note(
        gettext_noop("Routed to %(department)s (lead), reply by %(reply_by)s."),
        department=department.name,
        reply_by=reply_by.isoformat(),
    )
    if assists:
        note += " " + system_note(
            gettext_noop("Co-handling: %(departments)s."),
            departments="、".join(other.name for other in assists),
        )
    if instructions:
        note += "\n" + instructions
    event_record(case, actor, CaseEvent.Action.ROUTE, note)

    notifications_create(
        users=department_staff_of(department.pk),
        message=system_note(
            gettext_noop("Case #%(case)d was routed to %(department)s; reply by %(reply_by)s."),
            case=case.pk,
            department=department.name,
            reply_by=reply_by.isoformat(),
        ),
        link=_case_link(case),
    )
    for other in assists:
        notifications_create(
            users=department_staff_of(other.pk),
            message=system_note(
                gettext_noop(
                    "Case #%(case)d: %(department)s is asked for co-handling input by %(reply_by)s."
                ),
                case=case.pk,
                department=other.name,
                reply_by=reply_by.isoformat(),
            ),
            link=_case_link(case),
        )
    return slip


@transaction.atomic
def routing_accept(*, routing_id: int, actor) -> Routing:
    """The department accepts its slip. The lead's acceptance is the case's 受理, if not yet
    accepted; the case's time limit becomes handling, due on the reply-by date."""
    slip = _locked_slip(routing_id)
    check_accept(actor, slip)
    case = slip.case
    now = timezone.now()
    slip.status, slip.accepted_at = Routing.Status.ACCEPTED, now
    slip.save(update_fields=["status", "accepted_at"])
    before = case.status
    if slip.role == Routing.Role.LEAD:
        if case.status == S.REPORTED:
            case.status, case.accepted_at = S.ACCEPTED, now
        case.due_date, case.deadline_kind, case.deadline_basis = (
            slip.reply_by,
            Case.DeadlineKind.HANDLING,
            {},
        )
        case.save(update_fields=CASE_FIELDS)
        note = gettext_noop("%(department)s accepted the case; reply by %(reply_by)s.")
    else:
        note = gettext_noop("%(department)s accepted to give co-handling input by %(reply_by)s.")
    event_record(
        case,
        actor,
        CaseEvent.Action.ROUTE_TAKE,
        system_note(note, department=slip.department.name, reply_by=slip.reply_by.isoformat()),
        from_status=before,
    )
    return slip


def _restore(case: Case, slip: Routing) -> None:
    """The case as it was before the lead routing: no department, its status and time limit."""
    case.department = None
    case.status = slip.prior_status or case.status
    if case.status == S.REPORTED:
        case.accepted_at = None
    case.due_date = slip.prior_due_date
    case.deadline_kind = slip.prior_deadline_kind
    case.deadline_basis = slip.prior_deadline_basis or {}
    case.save(update_fields=CASE_FIELDS)


def _give_back(slip: Routing, status: str, reason: str) -> tuple[Case, str]:
    """Close an open slip as returned or withdrawn; a lead slip's case is restored.

    Returns the case and its status before, for the event.
    """
    case = slip.case
    slip.status, slip.returned_at, slip.return_reason = status, timezone.now(), reason
    slip.save(update_fields=["status", "returned_at", "return_reason"])
    before = case.status
    if slip.role == Routing.Role.LEAD:
        _restore(case, slip)
    return case, before


@transaction.atomic
def routing_return(*, routing_id: int, actor, reason: str) -> Routing:
    """退回: the department sends its slip back with a reason, before accepting it.

    A returned lead slip gives the case back to the unit that routed it, as it was
    before; that unit is notified.
    """
    slip = _locked_slip(routing_id)
    check_return(actor, slip)
    reason = _require_text("reason", reason, _("Say why the case is returned."))
    case, before = _give_back(slip, Routing.Status.RETURNED, reason)
    note = system_note(gettext_noop("Returned by %(department)s:"), department=slip.department.name)
    event_record(case, actor, CaseEvent.Action.ROUTE_BACK, f"{note} {reason}", from_status=before)
    message = system_note(
        gettext_noop("Case #%(case)d was returned by %(department)s."),
        case=case.pk,
        department=slip.department.name,
    )
    routed_by = get_user_model().objects.filter(pk=slip.routed_by_id, is_active=True)
    users = {u.pk: u for u in [*policies.territorial_holders_of(case), *routed_by]}
    notifications_create(users=users.values(), message=message, link=_case_link(case))
    return slip


@transaction.atomic
def routing_assist_reply(*, routing_id: int, actor, reply: str) -> Routing:
    """协办意见: a co-handling department's input. Internal: not the complainant's reply."""
    slip = _locked_slip(routing_id)
    check_assist_reply(actor, slip)
    reply = _require_text("reply", reply, _("Write the co-handling reply."))
    now = timezone.now()
    slip.status, slip.reply, slip.replied_at, slip.replied_by = (
        Routing.Status.DONE,
        reply,
        now,
        actor,
    )
    slip.accepted_at = slip.accepted_at or now
    slip.save(update_fields=["status", "reply", "replied_at", "replied_by", "accepted_at"])
    note = system_note(
        gettext_noop("Co-handling reply of %(department)s:"), department=slip.department.name
    )
    event_record(slip.case, actor, CaseEvent.Action.ASSIST, f"{note} {reply}")
    return slip


@transaction.atomic
def routing_withdraw(*, routing_id: int, actor, reason: str) -> Routing:
    """The routing unit takes an open slip back (e.g. to route elsewhere), with a reason.

    A withdrawn lead slip restores the case as a return does; the department is notified.
    """
    slip = _locked_slip(routing_id)
    check_withdraw(actor, slip)
    reason = _require_text("reason", reason, _("Say why the routing is withdrawn."))
    case, before = _give_back(slip, Routing.Status.WITHDRAWN, reason)
    note = system_note(
        gettext_noop("Routing to %(department)s withdrawn:"), department=slip.department.name
    )
    event_record(case, actor, CaseEvent.Action.ROUTE_BACK, f"{note} {reason}", from_status=before)
    message = system_note(
        gettext_noop("The routing of case #%(case)d to %(department)s was withdrawn."),
        case=case.pk,
        department=slip.department.name,
    )
    notifications_create(users=department_staff_of(slip.department_id), message=message)
    return slip


def routing_lead_done_locked(case: Case) -> Routing | None:
    """The case was resolved: its open lead slip is done, with the resolution's reply.

    Call holding the case's row lock, after the resolution's event was recorded.
    """
    slip = (
        Routing.objects.select_for_update()
        .filter(case_id=case.pk, role=Routing.Role.LEAD, status__in=Routing.OPEN_STATUSES)
        .first()
    )
    if slip is None:
        return None
    event = (
        case.events.filter(action=CaseEvent.Action.RESOLVE)
        .order_by("-id")
        .only("reply", "note", "actor")
    ).first()
    now = timezone.now()
    slip.status, slip.replied_at = Routing.Status.DONE, now
    slip.accepted_at = slip.accepted_at or now
    slip.reply = (event.reply or event.note) if event else ""
    slip.replied_by_id = event.actor_id if event else None
    slip.save(update_fields=["status", "replied_at", "accepted_at", "reply", "replied_by"])
    return slip


def routing_assist_overdue_notify(*, today=None) -> int:
    """Tell a co-handling department, and the unit that routed the case, once that its reply
    is past the reply-by date; how many slips were late. Safe to run any number of times:
    the same notification (message and link) is not sent to a user twice."""
    today = today or timezone.localdate()
    slips = (
        Routing.objects.filter(
            role=Routing.Role.ASSIST, status__in=Routing.OPEN_STATUSES, reply_by__lt=today
        )
        .select_related("department", "case")
        .order_by("reply_by", "pk")
    )
    late = 0
    for slip in slips:
        late += 1
        message = system_note(
            gettext_noop(
                "Case #%(case)d: the co-handling reply of %(department)s was due %(due)s."
            ),
            case=slip.case_id,
            department=slip.department.name,
            due=slip.reply_by.isoformat(),
        )
        link = _case_link(slip.case)
        told = set(
            Notification.objects.filter(message=message, link=link).values_list(
                "user_id", flat=True
            )
        )
        users = {
            user.pk: user
            for user in [
                *department_staff_of(slip.department_id),
                *policies.territorial_holders_of(slip.case),
            ]
            if user.pk not in told
        }
        notifications_create(users=users.values(), message=message, link=link)
    return late
