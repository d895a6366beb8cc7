"""Changes to a reception day once made: cancelled (its bookings with it), another leader, a swap."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disputes.cases.models import Case
from disputes.core.errors import CaseInputError, TransitionRefused
from disputes.reception.models import Appointment, ReceptionSession
from disputes.reception.services.bookings import appointment_cancel_held
from disputes.reception.services.locks import session_locked


@transaction.atomic
def session_cancel(*, actor, session_id: int, reason: str) -> ReceptionSession:
    """Cancel a reception day: its bookings are cancelled and their complainants told by SMS."""
    reason = reason.strip()
    if not reason:
        raise CaseInputError("reason", _("Say why the reception day is cancelled."))
    session = session_locked(actor, session_id)
    if session.status == ReceptionSession.Status.CANCELLED:
        raise TransitionRefused(_("This reception day is cancelled already."))
    if session.date < timezone.localdate():
        raise TransitionRefused(_("A past reception day cannot be cancelled."))
    session.status = ReceptionSession.Status.CANCELLED
    session.change_note = reason[:200]
    session.save(update_fields=["status", "change_note"])
    booked = list(session.appointments.filter(status=Appointment.Status.BOOKED).order_by("case_id"))
    reason_for_them = _("the reception day is cancelled (%(reason)s)") % {"reason": reason}
    for appointment in booked:
        case = Case.objects.select_for_update(of=("self",)).get(pk=appointment.case_id)
        appointment.session = session
        appointment_cancel_held(actor, appointment, case, reason_for_them)
    return session


@transaction.atomic
def session_change(
    *, actor, session_id: int, leader_name: str, leader_title: str, note: str
) -> ReceptionSession:
    """Another leader receives on this day (a swap); residents and the desk see the change."""
    leader_name, leader_title, note = leader_name.strip(), leader_title.strip(), note.strip()
    if not leader_name:
        raise CaseInputError("leader_name", _("Name the leader who receives instead."))
    session = session_locked(actor, session_id)
    if session.status == ReceptionSession.Status.CANCELLED:
        raise TransitionRefused(_("This reception day is cancelled."))
    if session.date < timezone.localdate():
        raise TransitionRefused(_("A past reception day cannot be changed."))
    before = session.receiver
    session.leader_name, session.leader_title = leader_name[:60], leader_title[:60]
    session.change_note = (
        note
        or _("%(before)s is replaced by %(after)s") % {"before": before, "after": session.receiver}
    )[:200]
    session.save(update_fields=["leader_name", "leader_title", "change_note"])
    return session


@transaction.atomic
def session_swap(*, actor, session_id: int, other_id: int) -> tuple[ReceptionSession, ...]:
    """Two reception days of one unit exchange who receives (a leader swaps their week)."""
    if session_id == other_id:
        raise CaseInputError("other", _("Choose another reception day."))
    first, second = (session_locked(actor, pk) for pk in sorted((session_id, other_id)))
    if (first.county_id, first.township_id) != (second.county_id, second.township_id):
        raise CaseInputError("other", _("Swap with a reception day of the same unit."))
    today = timezone.localdate()
    for session in (first, second):
        if session.status == ReceptionSession.Status.CANCELLED:
            raise TransitionRefused(_("This reception day is cancelled."))
        if session.date < today:
            raise TransitionRefused(_("A past reception day cannot be changed."))
    who = ("leader_name", "leader_title", "department_id")
    before = {session.pk: [getattr(session, field) for field in who] for session in (first, second)}
    for session, other in ((first, second), (second, first)):
        for field, value in zip(who, before[other.pk], strict=True):
            setattr(session, field, value)
        session.change_note = _("swapped with %(date)s") % {"date": other.date.strftime("%Y-%m-%d")}
        session.save(update_fields=[*who, "change_note"])
    return first, second
