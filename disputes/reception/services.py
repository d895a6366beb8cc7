"""Writes of reception days: schedules, a month's sessions, changes, bookings (约访), the ledger.

Every write checks the actor's unit (policies) and locks the rows it counts on:
the session for its free slots, the case for its timeline. The complainant is
told by SMS (config.sms) once the booking, move or cancellation is committed.
"""

import calendar
import logging
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.sms import SmsError, sms_send
from disputes.cases import policies as case_policies
from disputes.cases.deadlines import WorkdayCalendar
from disputes.cases.models import Case, Party
from disputes.cases.services.events import event_record
from disputes.core.errors import CaseInputError, NotAllowed, TransitionRefused
from disputes.reception import policies
from disputes.reception.models import (
    Appointment,
    ReceptionSchedule,
    ReceptionSession,
    ReceptionVisit,
)
from villages.models import Department

logger = logging.getLogger("disputes.reception")
MAX_LEADERS = 12
# Sessions are made at most this many months ahead, and no visit is recorded later than this.
MONTHS_AHEAD = 12
VISIT_DAYS_BACK = 30


def _unit(actor):
    unit = policies.keeping_unit(actor)
    if unit is None:
        raise NotAllowed(_("Only the county office and township leaders keep reception days."))
    return unit


def schedule_create(
    *,
    actor,
    weekday: int,
    starts_at,
    ends_at,
    place: str,
    leaders: list[dict],
    department_id: int | None,
    capacity: int,
    first_date: date,
) -> ReceptionSchedule:
    """A recurring reception day of the actor's unit: leaders in rotation or a department."""
    county_id, township_id = _unit(actor)
    if ends_at <= starts_at:
        raise CaseInputError("ends_at", _("The reception ends after it starts."))
    if not leaders and department_id is None:
        raise CaseInputError("leaders", _("Name the leaders taking turns, or a department."))
    if len(leaders) > MAX_LEADERS:
        raise CaseInputError("leaders", _("At most %(n)d leaders take turns.") % {"n": MAX_LEADERS})
    if not 1 <= capacity <= 50:
        raise CaseInputError("capacity", _("A session has from 1 to 50 appointment slots."))
    if department_id is not None:
        departments = Department.objects.filter(county_id=county_id, active=True)
        if township_id is not None:
            departments = departments.filter(township__isnull=True) | departments.filter(
                township_id=township_id
            )
        if not departments.filter(pk=department_id).exists():
            raise CaseInputError("department", _("Choose a department of your county."))
    return ReceptionSchedule.objects.create(
        county_id=county_id,
        township_id=township_id,
        weekday=weekday,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        leaders=leaders,
        department_id=department_id,
        capacity=capacity,
        first_date=first_date,
        created_by=actor,
    )


def schedule_stop(*, actor, schedule_id: int) -> ReceptionSchedule:
    """No more sessions are made from the rule; those made already stay."""
    schedule = ReceptionSchedule.objects.filter(
        policies.session_area_q(actor), pk=schedule_id
    ).first()
    if schedule is None or (schedule.county_id, schedule.township_id) != _unit(actor):
        raise NotAllowed(_("This schedule is another unit's."))
    schedule.active = False
    schedule.save(update_fields=["active"])
    return schedule


def rotation_leader(schedule: ReceptionSchedule, day: date) -> dict:
    """The leader whose turn it is on `day`: one week each, from the week of `first_date`."""
    if not schedule.leaders:
        return {"name": "", "title": ""}
    weeks = (
        (day - timedelta(days=day.weekday()))
        - (schedule.first_date - timedelta(days=schedule.first_date.weekday()))
    ).days // 7
    return schedule.leaders[weeks % len(schedule.leaders)]


def _month_days(year: int, month: int):
    for day in range(1, calendar.monthrange(year, month)[1] + 1):
        yield date(year, month, day)


@transaction.atomic
def sessions_generate(*, actor, year: int, month: int) -> list[ReceptionSession]:
    """Make the month's sessions of the actor's unit from its active rules; returns the new ones.

    A day already made (perhaps changed since) is left as it is; a weekday that is a
    public holiday (chinese_calendar, or the holidays entered by an administrator) has
    no session.
    """
    county_id, township_id = _unit(actor)
    today = timezone.localdate()
    first = date(year, month, 1)
    if first > date(today.year + 1, today.month, 1) or first < date(today.year, today.month, 1):
        raise CaseInputError(
            "month", _("Sessions are made for this month and the next twelve only.")
        )
    schedules = ReceptionSchedule.objects.filter(
        county_id=county_id, township_id=township_id, active=True
    ).select_related("department")
    workdays = WorkdayCalendar()
    made = []
    for schedule in schedules:
        existing = set(
            schedule.sessions.filter(date__year=year, date__month=month).values_list(
                "date", flat=True
            )
        )
        for day in _month_days(year, month):
            if (
                day.weekday() != schedule.weekday
                or day < schedule.first_date
                or day < today
                or day in existing
            ):
                continue
            if day.weekday() < 5 and not workdays.is_workday(day):
                continue
            leader = rotation_leader(schedule, day)
            made.append(
                ReceptionSession(
                    schedule=schedule,
                    county_id=county_id,
                    township_id=township_id,
                    date=day,
                    starts_at=schedule.starts_at,
                    ends_at=schedule.ends_at,
                    place=schedule.place,
                    leader_name=leader.get("name", ""),
                    leader_title=leader.get("title", ""),
                    department_id=schedule.department_id,
                    capacity=schedule.capacity,
                )
            )
    ReceptionSession.objects.bulk_create(made)
    return made


def _session_locked(actor, session_id: int) -> ReceptionSession:
    session = (
        ReceptionSession.objects.select_for_update(of=("self",))
        .filter(policies.session_area_q(actor), pk=session_id)
        .first()
    )
    if session is None:
        raise NotAllowed(_("This reception day is not one of your unit's."))
    return session


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


def _case_locked(actor, case_id: int) -> Case:
    case = (
        Case.objects.select_for_update(of=("self",))
        .filter(case_policies.case_scope_q(actor), pk=case_id)
        .first()
    )
    if case is None:
        raise CaseInputError("case", _("No case #%(case)s in your area.") % {"case": case_id})
    return case


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
    session = _session_locked(actor, session_id)
    case = _case_locked(actor, case_id)
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
    sessions = {pk: _session_locked(actor, pk) for pk in sorted(wanted)}
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


def _cancel(actor, appointment: Appointment, case: Case, reason: str) -> None:
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
    _cancel(actor, appointment, case, reason)
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


@transaction.atomic
def session_cancel(*, actor, session_id: int, reason: str) -> ReceptionSession:
    """Cancel a reception day: its bookings are cancelled and their complainants told by SMS."""
    reason = reason.strip()
    if not reason:
        raise CaseInputError("reason", _("Say why the reception day is cancelled."))
    session = _session_locked(actor, session_id)
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
        _cancel(actor, appointment, case, reason_for_them)
    return session


@transaction.atomic
def session_change(
    *, actor, session_id: int, leader_name: str, leader_title: str, note: str
) -> ReceptionSession:
    """Another leader receives on this day (a swap); residents and the desk see the change."""
    leader_name, leader_title, note = leader_name.strip(), leader_title.strip(), note.strip()
    if not leader_name:
        raise CaseInputError("leader_name", _("Name the leader who receives instead."))
    session = _session_locked(actor, session_id)
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
    first, second = (_session_locked(actor, pk) for pk in sorted((session_id, other_id)))
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
    session = _session_locked(actor, session_id)
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
    case = _case_locked(actor, case_id)
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
