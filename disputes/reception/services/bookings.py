"""Bookings (约访): a case booked into a reception day, moved, cancelled or missed.

The complainant is told by SMS (config.sms) once the booking, move or cancellation
is committed; each step goes on the case's timeline.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.sms import SmsError, sms_send
from disputes.cases.models import Case, Party
from disputes.cases.services.events import event_record
from disputes.core.errors import CaseInputError, NotAllowed, TransitionRefused
from disputes.reception import policies
from disputes.reception.models import Appointment, ReceptionSession
from disputes.reception.services.locks import case_locked, session_locked

logger = logging.getLogger("disputes.reception")


def _complainant_phone(case: Case) -> str:
    party = (
        Party.objects.filter(case=case, role=Party.Role.COMPLAINANT)
        .exclude(phone="")
        .order_by("pk")
        .first()
    )
    return party.phone if party else ""


def _when_where(session: ReceptionSession) -> dict:
    return {
        "date": session.date.strftime("%Y-%m-%d"),
        "start": session.starts_at.strftime("%H:%M"),
        "end": session.ends_at.strftime("%H:%M"),
        "place": session.place,
    }


def _text_later(case: Case, text: str) -> bool:
    """Send `text` to the complainant once committed; False when they have no mobile number."""
    phone = _complainant_phone(case)
    if not phone:
        return False

    def send():
        try:
            sms_send(phone, text)
        except SmsError as error:
            logger.warning("reception, case #%s: SMS not sent (%s)", case.pk, error)

    transaction.on_commit(send)
    return True


def _booking_text(case: Case, session: ReceptionSession) -> str:
    return _(
        "Your matter (case #%(case)s) is booked for a leaders' reception day on %(date)s, "
        "%(start)s–%(end)s, at %(place)s. Please bring your ID card."
    ) % {"case": case.pk, **_when_where(session)}


def _check_bookable(actor, case: Case, session: ReceptionSession) -> None:
    if not policies.may_book(actor, case):
        raise NotAllowed(_("You may not book this case into a reception day."))
    if not ReceptionSession.objects.filter(policies.bookable_q(case), pk=session.pk).exists():
        raise CaseInputError(
            "session",
            _(
                "A county-level case is received at the county centre; any other at its own "
                "township's or the county centre's reception days."
            ),
        )
    if session.status != ReceptionSession.Status.SCHEDULED:
        raise TransitionRefused(_("This reception day is cancelled."))
    if session.date <= timezone.localdate():
        raise TransitionRefused(_("Book a reception day from tomorrow on."))
    if session.appointments.filter(case=case, status=Appointment.Status.BOOKED).exists():
        raise TransitionRefused(
            _("Case #%(case)s is booked into this reception day already.") % {"case": case.pk}
        )
    booked = session.appointments.filter(status=Appointment.Status.BOOKED).count()
    if booked >= session.capacity:
        raise TransitionRefused(_("This reception day has no free slot left."))


def _book(actor, case: Case, session: ReceptionSession) -> Appointment:
    try:
        with transaction.atomic():
            return Appointment.objects.create(
                session=session, case=case, county_id=case.county_id, booked_by=actor
            )
    except IntegrityError:
        raise TransitionRefused(
            _("Case #%(case)s is booked into this reception day already.") % {"case": case.pk}
        ) from None


@transaction.atomic
def appointment_book(*, actor, case_id: int, session_id: int) -> Appointment:
    """约访: book the case into a future session's free slot and tell the complainant by SMS."""
    session = session_locked(actor, session_id)
    case = case_locked(actor, case_id)
    _check_bookable(actor, case, session)
    appointment = _book(actor, case, session)
    appointment.texted = _text_later(case, _booking_text(case, session))
    appointment.save(update_fields=["texted"])
    event_record(
        case,
        actor,
        "note",
        _(
            "Appointment (约访) booked: reception day %(date)s %(start)s–%(end)s at %(place)s%(who)s."
        )
        % {**_when_where(session), "who": f", {session.receiver}" if session.receiver else ""},
    )
    return appointment


def _appointment_locked(actor, appointment_id: int, *, also_session_id=None):
    """Lock, in the order every write here keeps (sessions by id, the case, the booking),
    the booking's session (and `also_session_id`), its case and the booking itself.

    Returns (appointment, case, {session id: session}).
    """
    found = (
        Appointment.objects.filter(policies.session_area_q(actor, "session__"), pk=appointment_id)
        .values_list("session_id", "case_id")
        .first()
    )
    if found is None:
        raise NotAllowed(_("This appointment is not one of your unit's."))
    session_id, case_id = found
    wanted = {session_id} | ({also_session_id} if also_session_id is not None else set())
    sessions = {pk: session_locked(actor, pk) for pk in sorted(wanted)}
    case = Case.objects.select_for_update(of=("self",)).get(pk=case_id)
    appointment = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment_id)
    if appointment.status != Appointment.Status.BOOKED:
        raise TransitionRefused(_("This appointment is no longer booked."))
    appointment.session = sessions[session_id]
    return appointment, case, sessions


@transaction.atomic
def appointment_move(*, actor, appointment_id: int, session_id: int) -> Appointment:
    """Move a booking to another session; the complainant is told the new day by SMS."""
    appointment, case, sessions = _appointment_locked(
        actor, appointment_id, also_session_id=session_id
    )
    session = sessions[session_id]
    if session.pk == appointment.session_id:
        raise CaseInputError("session", _("Choose another reception day."))
    _check_bookable(actor, case, session)
    appointment.status = Appointment.Status.MOVED
    appointment.ended_at = timezone.now()
    appointment.save(update_fields=["status", "ended_at"])
    moved = _book(actor, case, session)
    text = _(
        "Your reception appointment (case #%(case)s) is moved to %(date)s, "
        "%(start)s–%(end)s, at %(place)s."
    ) % {"case": case.pk, **_when_where(session)}
    moved.texted = _text_later(case, text)
    moved.save(update_fields=["texted"])
    event_record(
        case,
        actor,
        "note",
        _("Appointment (约访) moved from %(old)s to %(date)s %(start)s–%(end)s at %(place)s.")
        % {"old": appointment.session.date.strftime("%Y-%m-%d"), **_when_where(session)},
    )
    return moved


def appointment_cancel_held(actor, appointment: Appointment, case: Case, reason: str) -> None:
    """Call holding the locks of the booking's session, its case and the booking."""
    session = appointment.session
    appointment.status = Appointment.Status.CANCELLED
    appointment.ended_at = timezone.now()
    appointment.reason = reason[:200]
    appointment.save(update_fields=["status", "ended_at", "reason"])
    if session.date >= timezone.localdate():
        text = _(
            "Your reception appointment of %(date)s %(start)s (case #%(case)s) is cancelled. "
            "We will contact you about another day."
        ) % {"case": case.pk, **_when_where(session)}
        _text_later(case, text)
    event_record(
        case,
        actor,
        "note",
        _("Appointment (约访) of %(date)s cancelled: %(reason)s")
        % {"date": session.date.strftime("%Y-%m-%d"), "reason": reason},
    )


@transaction.atomic
def appointment_cancel(*, actor, appointment_id: int, reason: str) -> Appointment:
    """Cancel a booking (the complainant is told by SMS if the day is still to come)."""
    reason = reason.strip()
    if not reason:
        raise CaseInputError("reason", _("Say why the appointment is cancelled."))
    appointment, case, _sessions = _appointment_locked(actor, appointment_id)
    appointment_cancel_held(actor, appointment, case, reason)
    return appointment


@transaction.atomic
def appointment_missed(*, actor, appointment_id: int) -> Appointment:
    """The complainant did not come on the booked day: the outcome goes on the timeline."""
    appointment, case, _sessions = _appointment_locked(actor, appointment_id)
    session = appointment.session
    if session.date > timezone.localdate():
        raise TransitionRefused(_("The reception day has not come yet."))
    appointment.status = Appointment.Status.MISSED
    appointment.ended_at = timezone.now()
    appointment.save(update_fields=["status", "ended_at"])
    event_record(
        case,
        actor,
        "note",
        _("The complainant did not come to the appointment (约访) of %(date)s.")
        % {"date": session.date.strftime("%Y-%m-%d")},
        on_date=session.date,
    )
    return appointment
