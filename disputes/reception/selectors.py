"""Reads of reception days: a month's calendar, a session's bookings and ledger, what a case may book."""

import calendar
from datetime import date, timedelta

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from disputes.cases import identity
from disputes.cases import selectors as case_selectors
from disputes.cases.models import Party
from disputes.reception import policies
from disputes.reception.models import (
    Appointment,
    ReceptionSchedule,
    ReceptionSession,
    ReceptionVisit,
)
from villages.models import Township

BOOKING_DAYS_AHEAD = 92
PUBLIC_WEEKS = 4


def _booked_count():
    return Count("appointments", filter=Q(appointments__status=Appointment.Status.BOOKED))


def schedules_of_unit(*, user):
    unit = policies.keeping_unit(user)
    if unit is None:
        return ReceptionSchedule.objects.none()
    return ReceptionSchedule.objects.filter(county_id=unit[0], township_id=unit[1]).select_related(
        "department"
    )


def sessions_of_month(*, user, year: int, month: int) -> list[ReceptionSession]:
    """The user's area's sessions of the month, each with `booked` appointments (case numbers)."""
    sessions = list(
        ReceptionSession.objects.filter(
            policies.session_area_q(user), date__year=year, date__month=month
        )
        .select_related("township", "department")
        .order_by("date", "starts_at", "pk")
    )
    booked: dict[int, list] = {session.pk: [] for session in sessions}
    rows = (
        Appointment.objects.filter(session_id__in=booked, status=Appointment.Status.BOOKED)
        .order_by("booked_at", "pk")
        .values_list("session_id", "case_id")
    )
    names = _complainant_names({case_id for _, case_id in rows})
    for session_id, case_id in rows:
        booked[session_id].append(
            {"case_id": case_id, "name": identity.mask_name(names.get(case_id, ""))}
        )
    for session in sessions:
        session.booked = booked[session.pk]
        session.free = max(0, session.capacity - len(session.booked))
    return sessions


def _complainant_names(case_ids) -> dict[int, str]:
    names: dict[int, str] = {}
    rows = Party.objects.filter(case_id__in=case_ids, role=Party.Role.COMPLAINANT).order_by("pk")
    for case_id, name in rows.values_list("case_id", "name"):
        names.setdefault(case_id, name)
    return names


def month_weeks(year: int, month: int, sessions) -> list[list[dict]]:
    """The month as weeks (Monday first) of days, each day with its sessions; None outside."""
    by_day: dict[date, list] = {}
    for session in sessions:
        by_day.setdefault(session.date, []).append(session)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                {"day": day, "sessions": by_day.get(day, [])} if day.month == month else None
                for day in week
            ]
        )
    return weeks


def session_get(*, user, session_id: int) -> ReceptionSession:
    """A session of the user's area; Http404 for any other."""
    session = (
        ReceptionSession.objects.filter(policies.session_area_q(user), pk=session_id)
        .select_related("township", "county", "department", "schedule")
        .first()
    )
    if session is None:
        raise Http404
    return session


def session_bookings(*, user, session: ReceptionSession) -> list[dict]:
    """The session's appointments with the complainant's name, unmasked (and logged) if allowed."""
    appointments = list(
        session.appointments.select_related("case", "case__county", "case__category").order_by(
            "booked_at", "pk"
        )
    )
    return [
        _with_complainant(user, appointment.case) | {"appointment": appointment}
        for appointment in appointments
    ]


def _with_complainant(user, case) -> dict:
    parties, unmasked = case_selectors.case_parties(user=user, case=case)
    complainants = [party for party in parties if party.role == Party.Role.COMPLAINANT]
    name = complainants[0].name if complainants else ""
    return {"case": case, "name": name if unmasked else identity.mask_name(name)}


def session_ledger(*, user, session: ReceptionSession) -> list[dict]:
    """The ledger (接访台账): every visitor registered, in order, with the conversation."""
    visits = session.visits.select_related("case", "case__county", "case__category", "appointment")
    return [_with_complainant(user, visit.case) | {"visit": visit} for visit in visits]


def bookable_sessions(*, user, case) -> list[ReceptionSession]:
    """Future sessions of the user's area the case may be booked into: free slots, not booked."""
    if not policies.may_book(user, case):
        return []
    today = timezone.localdate()
    sessions = (
        ReceptionSession.objects.filter(
            policies.session_area_q(user),
            policies.bookable_q(case),
            status=ReceptionSession.Status.SCHEDULED,
            date__gt=today,
            date__lte=today + timedelta(days=BOOKING_DAYS_AHEAD),
        )
        .exclude(
            pk__in=Appointment.objects.filter(case=case, status=Appointment.Status.BOOKED).values(
                "session_id"
            )
        )
        .annotate(booked_count=_booked_count())
        .select_related("township", "department")
        .order_by("date", "starts_at", "pk")
    )
    free = []
    for session in sessions:
        session.free = session.capacity - session.booked_count
        if session.free > 0:
            free.append(session)
    return free


def visit_sessions(*, user, case) -> list[ReceptionSession]:
    """Sessions of the last days (today first) where a visit of the case may be registered."""
    if policies.keeping_unit(user) is None:
        return []
    today = timezone.localdate()
    return list(
        ReceptionSession.objects.filter(
            policies.session_area_q(user),
            policies.bookable_q(case),
            status=ReceptionSession.Status.SCHEDULED,
            date__lte=today,
            date__gte=today - timedelta(days=30),
        )
        .exclude(visits__case=case)
        .select_related("township", "department")
        .order_by("-date", "starts_at", "pk")
    )


def case_appointments(*, case) -> list[Appointment]:
    return list(
        Appointment.objects.filter(county_id=case.county_id, case=case)
        .select_related("session", "session__township", "session__department")
        .order_by("-session__date", "-pk")
    )


def case_visits(*, case) -> list[ReceptionVisit]:
    return list(
        ReceptionVisit.objects.filter(county_id=case.county_id, case=case)
        .select_related("session", "session__township")
        .order_by("-session__date", "-pk")
    )


def public_schedule(*, county, weeks: int = PUBLIC_WEEKS) -> list[dict]:
    """The coming weeks' reception days of the county's centre and of each township.

    Only what the unit publishes: when, where, the receiving leader's name and title
    or the department, and whether the day is cancelled. [{unit, sessions}], the
    county centre first.
    """
    if county is None:
        return []
    today = timezone.localdate()
    sessions = (
        ReceptionSession.objects.filter(
            county=county, date__gte=today, date__lt=today + timedelta(weeks=weeks)
        )
        .select_related("department")
        .order_by("date", "starts_at", "pk")
        .only(
            "date",
            "starts_at",
            "ends_at",
            "place",
            "leader_name",
            "leader_title",
            "department__name",
            "status",
            "change_note",
            "township_id",
        )
    )
    groups: dict[int | None, list] = {}
    for session in sessions:
        groups.setdefault(session.township_id, []).append(session)
    townships = dict(
        Township.objects.filter(pk__in=[key for key in groups if key is not None]).values_list(
            "pk", "name"
        )
    )
    units = []
    if None in groups:
        units.append({"unit": county.name, "county": True, "sessions": groups.pop(None)})
    for township_id, rows in sorted(groups.items(), key=lambda item: townships[item[0]]):
        units.append({"unit": townships[township_id], "county": False, "sessions": rows})
    return units


def sessions_after(*, user, session: ReceptionSession) -> list[ReceptionSession]:
    """Future scheduled sessions of the same area a booking of `session` may move to."""
    today = timezone.localdate()
    return list(
        ReceptionSession.objects.filter(
            policies.session_area_q(user),
            county_id=session.county_id,
            status=ReceptionSession.Status.SCHEDULED,
            date__gt=today,
            date__lte=today + timedelta(days=BOOKING_DAYS_AHEAD),
        )
        .exclude(pk=session.pk)
        .select_related("township", "department")
        .order_by("date", "starts_at", "pk")[:60]
    )
