"""Reception days' schedules: a unit's recurring rules and the month's sessions made from them."""

import calendar
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disputes.cases.deadlines import WorkdayCalendar
from disputes.core.errors import CaseInputError, NotAllowed
from disputes.reception import policies
from disputes.reception.models import ReceptionSchedule, ReceptionSession
from villages.models import Department

MAX_LEADERS = 12
# Sessions are made at most this many months ahead.
MONTHS_AHEAD = 12


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
