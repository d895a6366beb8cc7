"""积案 and key cases: which cases are backlog, which lack a 包案 leader, whose weekly
progress note is missing, and how the backlog grew and shrank week by week.

What counts (the county documents' 积案 are unresolved matters):
- A case is *backlog* while it is unresolved (status REPORTED, ACCEPTED,
  IN_HANDLING or IN_REVIEW) and it was reported more than settings.BACKLOG_DAYS
  days ago, or the county office marked it (Case.marked_backlog). A resolved
  case awaiting its return visit (RESOLVED, FOLLOWED_UP) has its answer, and a
  case referred to a court or arbitration (REFERRED) has left the
  administrative channel: neither is backlog.
- A *key* case (Case.is_key) counts while unresolved too. Backlog and key cases
  must have an active 包案 leader.

Over time, each case has the instant it *entered* the backlog (the earlier of
reported_at + BACKLOG_DAYS and the county's marking, whose time is that of the
marking's note event, MARK_BACKLOG) and, once it is no longer unresolved, the
instant it was *cleared* (its last event that took it out of the unresolved
statuses: resolved, referred, closed). A case cleared before it entered was
never backlog. A case reopened for review after its clearing counts from its
history's last exit only: an approximation, rare for backlog cases.

Weeks are ISO weeks of local dates (settings.TIME_ZONE), Monday to Sunday.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Case as Choose
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from disputes.cases import policies
from disputes.cases.models import Case, CaseEvent
from disputes.core.areas import staff_of
from disputes.core.local_days import day_bounds
from disputes.ownership.models import CaseLeader
from villages.models import Staff

UNRESOLVED = (
    Case.Status.REPORTED,
    Case.Status.ACCEPTED,
    Case.Status.IN_HANDLING,
    Case.Status.IN_REVIEW,
)
# The county office's marking note starts with this; its time dates the marking.
MARK_BACKLOG = "【积案】"
UNMARK_BACKLOG = "【取消积案】"
MARK_KEY = "【重点】"
UNMARK_KEY = "【取消重点】"
WEEKS_DEFAULT = 12
WEEKS_MAX = 52


@dataclass(frozen=True)
class BacklogArea:
    """The cases a backlog page covers: a county (county office) or a township (its leaders)."""

    q: Q
    name: str
    level: str


def backlog_area(user) -> BacklogArea | None:
    """The county office's county, a township leader's township; None for everyone else."""
    staff = staff_of(user)
    if staff is None:
        return None
    if staff.role == Staff.Role.COUNTY_OFFICE and staff.county_id is not None:
        return BacklogArea(Q(county_id=staff.county_id), staff.county.name, "county")
    if staff.role == Staff.Role.TOWNSHIP_LEADER and staff.township_id is not None:
        return BacklogArea(Q(township_id=staff.township_id), staff.township.name, "township")
    return None


def _backlog_age() -> timedelta:
    return timedelta(days=settings.BACKLOG_DAYS)


def backlog_q(now: datetime | None = None) -> Q:
    """Cases that are backlog at `now` (default: now)."""
    now = now or timezone.now()
    return Q(status__in=UNRESOLVED) & (
        Q(reported_at__lt=now - _backlog_age()) | Q(marked_backlog=True)
    )


def key_q() -> Q:
    return Q(status__in=UNRESOLVED, is_key=True)


def is_backlog(case: Case, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return case.status in UNRESOLVED and (
        case.marked_backlog or case.reported_at < now - _backlog_age()
    )


def _active_leaders():
    return Prefetch(
        "leaders",
        queryset=CaseLeader.objects.filter(ended_at__isnull=True).select_related("leader"),
        to_attr="active_leaders",
    )


def backlog_and_key_cases(*, area: Q, now: datetime | None = None) -> list[dict]:
    """The area's backlog and key cases, oldest first, each with its active leader (or None).

    Rows: {"case", "leader" (CaseLeader or None), "backlog", "key", "days_open"}.
    """
    now = now or timezone.now()
    cases = (
        Case.objects.filter(area)
        .filter(backlog_q(now) | key_q())
        .select_related("category", "township", "village")
        .prefetch_related(_active_leaders())
        .order_by("reported_at", "pk")
    )
    today = timezone.localdate(now)
    return [
        {
            "case": case,
            "leader": case.active_leaders[0] if case.active_leaders else None,
            "backlog": is_backlog(case, now),
            "key": case.is_key,
            "days_open": (today - timezone.localdate(case.reported_at)).days,
        }
        for case in cases
    ]


def cases_without_leader(*, area: Q, now: datetime | None = None):
    """Backlog and key cases of the area without an active 包案 leader ("must have one")."""
    led = CaseLeader.objects.filter(case_id=OuterRef("pk"), ended_at__isnull=True)
    return (
        Case.objects.filter(area)
        .filter(backlog_q(now) | key_q())
        .exclude(Exists(led))
        .select_related("category", "township", "village")
        .order_by("reported_at", "pk")
    )


def _with_backlog_times(cases):
    """Annotate `entered_at` (None: never entered) and `cleared_at` (None: unresolved now)."""
    exits = (
        CaseEvent.objects.filter(case_id=OuterRef("pk"), from_status__in=UNRESOLVED)
        .exclude(to_status__in=UNRESOLVED)
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    marking = (
        CaseEvent.objects.filter(
            case_id=OuterRef("pk"),
            action=CaseEvent.Action.NOTE,
            note__startswith=MARK_BACKLOG,
        )
        .order_by("at", "id")
        .values("at")[:1]
    )
    return cases.annotate(
        aged_at=F("reported_at") + _backlog_age(),
        marked_at=Choose(
            When(marked_backlog=True, then=Subquery(marking)), output_field=DateTimeField()
        ),
        cleared_at=Choose(
            When(
                ~Q(status__in=UNRESOLVED),
                then=Coalesce(Subquery(exits), "resolved_at", "closed_at", "reported_at"),
            ),
            output_field=DateTimeField(),
        ),
    ).annotate(entered_at=Least("aged_at", "marked_at"))  # PostgreSQL's LEAST skips NULLs


def _may_have_been_backlog_q(since: datetime, until: datetime) -> Q:
    """A cheap, index-friendly superset of the cases backlog at some time in [since, until).

    Old enough by `until`, or marked; and not closed before `since` (a case is
    cleared before it is closed).
    """
    return (Q(reported_at__lt=until - _backlog_age()) | Q(marked_backlog=True)) & (
        Q(status__in=UNRESOLVED) | Q(closed_at__isnull=True) | Q(closed_at__gte=since)
    )


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _week_bounds(monday: date) -> tuple[datetime, datetime]:
    return day_bounds(monday)[0], day_bounds(monday + timedelta(days=6))[1]


def _was_backlog_q(start: datetime, end: datetime) -> Q:
    """Backlog for the whole of [start, end): entered before start, not cleared before end."""
    return Q(entered_at__lt=start) & (Q(cleared_at__isnull=True) | Q(cleared_at__gte=end))


def progress_week(*, area: Q, monday: date, now: datetime | None = None) -> dict:
    """Weekly progress compliance (每周上报推进情况) of the area for the week from `monday`.

    A case is due a note that week if it was backlog for the whole week (for the
    current week: from Monday until now): it entered the backlog before the week
    began and was not cleared during it. A case entering the backlog in the week
    is due from the next week; one cleared during it is not due (its clearing
    says how it ended). A due case without a PROGRESS event in the week is missing.

    {"monday", "sunday", "due", "reported", "missing": [{"case", "leader"}]}.
    """
    now = now or timezone.now()
    start, end = _week_bounds(monday)
    horizon = min(end, now)
    noted = CaseEvent.objects.filter(
        case_id=OuterRef("pk"), action=CaseEvent.Action.PROGRESS, at__gte=start, at__lt=end
    )
    due = (
        _with_backlog_times(Case.objects.filter(area, _may_have_been_backlog_q(start, horizon)))
        .filter(_was_backlog_q(start, horizon))
        .annotate(noted=Exists(noted))
        .select_related("category", "township", "village")
        .prefetch_related(_active_leaders())
        .order_by("reported_at", "pk")
    )
    rows = list(due) if start < now else []
    missing = [
        {"case": case, "leader": case.active_leaders[0] if case.active_leaders else None}
        for case in rows
        if not case.noted
    ]
    return {
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "due": len(rows),
        "reported": len(rows) - len(missing),
        "missing": missing,
    }


def progress_weeks(*, area: Q, weeks: int = 1, now: datetime | None = None) -> list[dict]:
    """progress_week for the current week and the `weeks` before it, newest first."""
    now = now or timezone.now()
    monday = week_monday(timezone.localdate(now))
    return [
        progress_week(area=area, monday=monday - timedelta(weeks=back), now=now)
        for back in range(weeks + 1)
    ]


def backlog_over_time(
    *, area: Q, weeks: int = WEEKS_DEFAULT, now: datetime | None = None
) -> list[dict]:
    """Per week, oldest first, the current week last (counted until now):

    {"monday", "sunday", "opened": cases that entered the backlog that week,
    "cleared": backlog cases cleared that week, "end": the backlog at the week's
    end}. The end of one week plus the next week's opened minus its cleared is
    the next week's end.
    """
    now = now or timezone.now()
    weeks = max(1, min(weeks, WEEKS_MAX))
    this_monday = week_monday(timezone.localdate(now))
    mondays = [this_monday - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    first_start = _week_bounds(mondays[0])[0]
    cases = _with_backlog_times(
        Case.objects.filter(area, _may_have_been_backlog_q(first_start, now))
    ).filter(
        Q(entered_at__isnull=False, entered_at__lt=now)
        & (Q(cleared_at__isnull=True) | Q(cleared_at__gte=first_start))
        & (Q(cleared_at__isnull=True) | Q(cleared_at__gt=F("entered_at")))
    )
    aggregates = {}
    for index, monday in enumerate(mondays):
        start, end = _week_bounds(monday)
        end = min(end, now)
        aggregates[f"opened_{index}"] = Count(
            "pk", filter=Q(entered_at__gte=start, entered_at__lt=end)
        )
        aggregates[f"cleared_{index}"] = Count(
            "pk", filter=Q(cleared_at__gte=start, cleared_at__lt=end)
        )
        aggregates[f"end_{index}"] = Count(
            "pk",
            filter=Q(entered_at__lt=end) & (Q(cleared_at__isnull=True) | Q(cleared_at__gte=end)),
        )
    totals = cases.aggregate(**aggregates)
    return [
        {
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "opened": totals[f"opened_{index}"],
            "cleared": totals[f"cleared_{index}"],
            "end": totals[f"end_{index}"],
        }
        for index, monday in enumerate(mondays)
    ]


def progress_missing_by_user(*, monday: date, now: datetime | None = None) -> dict[int, int]:
    """{user id: how many backlog cases they lead or hold lacked a note in that week}.

    Across every county: for the weekly reminder. A case's users are its active
    包案 leader and its holders (disputes.cases.policies.holders_of).
    """
    counts: dict[int, int] = {}
    week = progress_week(area=Q(), monday=monday, now=now)
    for row in week["missing"]:
        case = row["case"]
        users = set(policies.holders_of(case).values_list("pk", flat=True))
        if row["leader"] is not None and row["leader"].leader.is_active:
            users.add(row["leader"].leader_id)
        for user_id in users:
            counts[user_id] = counts.get(user_id, 0) + 1
    return counts


def backlog_summary(*, user, now: datetime | None = None) -> dict | None:
    """For the desk home of the county office and township leaders: how many backlog and
    key cases their area has, how many lack a 包案 leader, how many lack this week's note.

    None for everyone else (they have no backlog page).
    """
    area = backlog_area(user)
    if area is None:
        return None
    now = now or timezone.now()
    led = CaseLeader.objects.filter(case_id=OuterRef("pk"), ended_at__isnull=True)
    counts = (
        Case.objects.filter(area.q)
        .filter(backlog_q(now) | key_q())
        .aggregate(cases=Count("pk"), without_leader=Count("pk", filter=~Exists(led)))
    )
    week = progress_week(area=area.q, monday=week_monday(timezone.localdate(now)), now=now)
    return {**counts, "missing": len(week["missing"])}
