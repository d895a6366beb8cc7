"""The ledger of a reception day (来访登记): a visitor received, with the conversation (笔录)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disputes.cases.services.events import event_record
from disputes.core.errors import CaseInputError, TransitionRefused
from disputes.reception import policies
from disputes.reception.models import Appointment, ReceptionSession, ReceptionVisit
from disputes.reception.services.locks import case_locked, session_locked

# No visit is recorded later than this many days after the reception day.
VISIT_DAYS_BACK = 30


@transaction.atomic
def visit_record(
    *,
    actor,
    session_id: int,
    case_id: int,
    received_by: str,
    visitors: int,
    statement: str,
    answer: str,
    agreed: str,
) -> ReceptionVisit:
    """来访登记: a visitor received at the session, with the conversation (笔录).

    The case's booking into this session, if any, is marked received; the record
    goes on the case's timeline as a note dated the session's day.
    """
    statement, answer, agreed = statement.strip(), answer.strip(), agreed.strip()
    if not statement:
        raise CaseInputError("statement", _("Write down what the visitor said."))
    if not answer:
        raise CaseInputError("answer", _("Write down the leader's answer."))
    session = session_locked(actor, session_id)
    today = timezone.localdate()
    if session.status == ReceptionSession.Status.CANCELLED:
        raise TransitionRefused(_("This reception day is cancelled."))
    if session.date > today:
        raise TransitionRefused(_("Visitors are registered on the reception day, not before."))
    if session.date < today - timedelta(days=VISIT_DAYS_BACK):
        raise TransitionRefused(
            _("Visits are registered within %(n)d days of the reception day.")
            % {"n": VISIT_DAYS_BACK}
        )
    case = case_locked(actor, case_id)
    if not ReceptionSession.objects.filter(policies.bookable_q(case), pk=session.pk).exists():
        raise CaseInputError(
            "case", _("Case #%(case)s is not of this reception day's area.") % {"case": case.pk}
        )
    if session.visits.filter(case=case).exists():
        raise TransitionRefused(
            _("Case #%(case)s is in this reception day's ledger already.") % {"case": case.pk}
        )
    appointment = (
        session.appointments.select_for_update(of=("self",))
        .filter(case=case, status=Appointment.Status.BOOKED)
        .first()
    )
    if appointment is not None:
        appointment.status = Appointment.Status.MET
        appointment.ended_at = timezone.now()
        appointment.save(update_fields=["status", "ended_at"])
    received_by = (received_by.strip() or session.receiver)[:120]
    visit = ReceptionVisit.objects.create(
        session=session,
        case=case,
        county_id=case.county_id,
        appointment=appointment,
        received_by=received_by,
        visitors=visitors,
        statement=statement,
        answer=answer,
        agreed=agreed,
        recorded_by=actor,
    )
    kind = _("by appointment (约访)") if appointment else _("walk-in visit")
    note = _(
        "Received on the reception day of %(date)s (%(kind)s) by %(leader)s.\n"
        "Said: %(said)s\nAnswer: %(answer)s"
    ) % {
        "date": session.date.strftime("%Y-%m-%d"),
        "kind": kind,
        "leader": received_by,
        "said": statement,
        "answer": answer,
    }
    if agreed:
        note += "\n" + _("Agreed: %(agreed)s") % {"agreed": agreed}
    event_record(case, actor, "note", note, on_date=session.date)
    return visit
