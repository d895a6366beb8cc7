"""Reads for the daily zero report (每天零报告): which grids are due, which filed, which did not.

A grid is due to report on a day when it has at least one active grid worker
(grid.Grid.workers); grids nobody patrols are not counted. Who patrols a grid
is read as it is now: the platform keeps no history of worker assignments.

A day's report is due by ZERO_REPORT_CUTOFF (local time, "HH:MM"): before it,
today's missing grids are "not yet reported"; from it on they are late, and
today counts as a day due.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from disputes.cases.models import Case
from disputes.core.areas import in_unit_q, staff_of, user_units
from disputes.core.local_days import day_bounds
from disputes.oversight.models import ZeroReport
from grid.models import Grid
from villages.models import Staff

NO_BOUNDARIES = ("boundary", "village__boundary", "township__boundary")


# --- the clock ---------------------------------------------------------------------


def cutoff_time() -> time:
    """ZERO_REPORT_CUTOFF ("18:00") as a time of day."""
    hour, minute = (int(part) for part in settings.ZERO_REPORT_CUTOFF.split(":"))
    return time(hour, minute)


def cutoff_passed(day: date, now=None) -> bool:
    """Whether the reports of `day` are late by now: a past day, or today from the cutoff on."""
    local = timezone.localtime(now or timezone.now())
    return day < local.date() or (day == local.date() and local.time() >= cutoff_time())


def last_due_day(now=None) -> date:
    """The latest day whose report is due: today from the cutoff on, else yesterday."""
    today = timezone.localtime(now or timezone.now()).date()
    return today if cutoff_passed(today, now) else today - timedelta(days=1)


# --- grids -------------------------------------------------------------------------


def zero_report_area(user):
    """The unit whose zero reports the user follows, (level, unit), or (None, None).

    Mediation team members have none: zero reports are the grids' line of work.
    """
    staff = staff_of(user)
    if staff is not None and staff.role == Staff.Role.MEDIATOR and not user.is_superuser:
        return None, None
    return user_units(user)


def zero_report_grids(*, user):
    """The grids whose reports the user sees: a grid worker's own, else those of their area."""
    grids = Grid.objects.defer(*NO_BOUNDARIES)
    staff = staff_of(user)
    if staff is not None and staff.role == Staff.Role.GRID_WORKER and not user.is_superuser:
        return grids.filter(workers=user)
    level, unit = zero_report_area(user)
    if unit is None:
        return grids.none()
    return grids.filter(in_unit_q(level, unit))


def zero_report_grid_get(*, user, grid_id) -> Grid:
    """A grid of the user's zero-report area; Http404 for any other."""
    grid = zero_report_grids(user=user).filter(pk=grid_id).select_related("village").first()
    if grid is None:
        raise Http404
    return grid


def _active_workers():
    return get_user_model().objects.filter(is_active=True)


def due_grids(grids_qs):
    """Those of `grids_qs` that have at least one active grid worker: the grids due to report."""
    workers = Grid.workers.through.objects.filter(grid_id=OuterRef("pk"), user__is_active=True)
    return grids_qs.filter(Exists(workers))


def _reported_on(day: date):
    return Exists(ZeroReport.objects.filter(grid_id=OuterRef("pk"), day=day))


def cases_reported_count(*, grid_id, day: date) -> int:
    start, end = day_bounds(day)
    return Case.objects.filter(grid_id=grid_id, reported_at__gte=start, reported_at__lt=end).count()


# --- compliance ----------------------------------------------------------------------


def zero_report_compliance(*, grids_qs, start: date, end: date, now=None) -> tuple[int, int]:
    """Zero-report compliance of `grids_qs` from `start` to `end` (both included): (reported, due).

    Days due: for each grid of `grids_qs` that has at least one active grid
    worker, each day from `start` to `end` that is not after the last due day
    (today once the cutoff has passed, else yesterday); that is, the number of
    such (grid, day) pairs. Days reported: the zero reports of those grids on
    those days (at most one per grid and day). Compliance = days reported / days due.
    """
    last = min(end, last_due_day(now))
    if last < start:
        return 0, 0
    due = due_grids(grids_qs).order_by()
    grid_count = due.count()
    reported = ZeroReport.objects.filter(
        grid_id__in=due.values("pk"), day__range=(start, last)
    ).count()
    return reported, grid_count * ((last - start).days + 1)


def zero_report_compliance_by(*, grids_qs, start: date, end: date, unit: str, now=None) -> dict:
    """zero_report_compliance per `unit` ("township" or "village") of `grids_qs`.

    {unit id: (days reported, days due)}; units without a grid due are left out.
    """
    last = min(end, last_due_day(now))
    days = max((last - start).days + 1, 0)
    due = due_grids(grids_qs).order_by()
    grids = dict(
        due.values_list(f"{unit}_id").annotate(n=Count("pk")).values_list(f"{unit}_id", "n")
    )
    reported = (
        dict(
            ZeroReport.objects.filter(grid_id__in=due.values("pk"), day__range=(start, last))
            .values_list(f"grid__{unit}_id")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list(f"grid__{unit}_id", "n")
        )
        if days
        else {}
    )
    return {pk: (reported.get(pk, 0), n * days) for pk, n in grids.items()}


def zero_report_compliance_by_village(*, grids_qs, start: date, end: date, now=None) -> list:
    """zero_report_compliance per village of `grids_qs`: rows of village, township, reported, due."""
    last = min(end, last_due_day(now))
    days = max((last - start).days + 1, 0)
    due = due_grids(grids_qs).order_by()
    grids_per_village = dict(
        due.values_list("village_id").annotate(n=Count("pk")).values_list("village_id", "n")
    )
    reported = dict(
        ZeroReport.objects.filter(grid_id__in=due.values("pk"), day__range=(start, last))
        .values_list("grid__village_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("grid__village_id", "n")
    )
    villages = (
        Grid.objects.filter(pk__in=due.values("pk"))
        .order_by("village__code")
        .values_list("village_id", "village__code", "village__name", "township__name")
        .distinct()
    )
    rows = []
    for village_id, code, name, township in villages:
        days_due = grids_per_village[village_id] * days
        days_reported = reported.get(village_id, 0)
        rows.append(
            {
                "village_code": code,
                "village": name,
                "township": township,
                "days_reported": days_reported,
                "days_due": days_due,
                "rate": days_reported / days_due if days_due else None,
            }
        )
    return rows


# --- a day -----------------------------------------------------------------------------


@dataclass
class Missing:
    """The grids of an area that have not reported on a day, by township and village."""

    day: date
    cutoff: time
    cutoff_passed: bool
    due: int
    reported: int
    townships: list

    @property
    def missing(self) -> int:
        return self.due - self.reported


def zero_report_missing(*, user, day: date, now=None) -> Missing:
    """The user's grids due on `day` without a report, grouped township → village, with workers.

    Before today's cutoff the list is of grids not yet reported, not of late ones.
    """
    due = due_grids(zero_report_grids(user=user))
    grids = (
        due.filter(~_reported_on(day))
        .select_related("village", "township")
        .prefetch_related(
            Prefetch("workers", queryset=_active_workers().order_by("username"), to_attr="active")
        )
        .order_by("township__code", "village__code", "code")
    )
    townships = []
    for grid in grids:
        if not townships or townships[-1]["code"] != grid.township.code:
            township = {"code": grid.township.code, "name": grid.township.name, "villages": []}
            townships.append(township)
        villages = townships[-1]["villages"]
        if not villages or villages[-1]["code"] != grid.village.code:
            villages.append({"code": grid.village.code, "name": grid.village.name, "grids": []})
        villages[-1]["grids"].append(
            {
                "id": grid.pk,
                "code": grid.code,
                "name": grid.name,
                "workers": [w.get_full_name() or w.get_username() for w in grid.active],
            }
        )
    for township in townships:
        for village in township["villages"]:
            village["missing"] = len(village["grids"])
        township["missing"] = sum(v["missing"] for v in township["villages"])
    counts = _day_counts(due, day)
    return Missing(
        day=day,
        cutoff=cutoff_time(),
        cutoff_passed=cutoff_passed(day, now),
        due=counts["due"],
        reported=counts["reported"],
        townships=townships,
    )


def _day_counts(due, day: date) -> dict:
    return due.order_by().aggregate(
        due=Count("pk"), reported=Count("pk", filter=Q(_reported_on(day)))
    )


def zero_report_today(*, user, now=None) -> dict:
    """Today for the user: each grid they patrol with its report and cases, and their area's counts."""
    today = timezone.localtime(now or timezone.now()).date()
    start, end = day_bounds(today)
    todays = (
        ZeroReport.objects.filter(day=today)
        .select_related("grid", "grid__village", "filed_by")
        .defer("grid__boundary", "grid__village__boundary")
        .annotate(cases_count=Count("cases"))
        .prefetch_related(Prefetch("cases", queryset=Case.objects.only("pk")))
    )
    mine = (
        Grid.objects.defer(*NO_BOUNDARIES)
        .filter(workers=user)
        .select_related("village")
        .annotate(
            cases_today=Count(
                "cases", filter=Q(cases__reported_at__gte=start, cases__reported_at__lt=end)
            )
        )
        .prefetch_related(Prefetch("zero_reports", queryset=todays, to_attr="today"))
        .order_by("code")
    )
    counts = _day_counts(due_grids(zero_report_grids(user=user)), today)
    return {
        "day": today,
        "cutoff": cutoff_time(),
        "cutoff_passed": cutoff_passed(today, now),
        "grids": [
            {
                "id": grid.pk,
                "code": grid.code,
                "name": grid.name,
                "village": grid.village.name,
                "cases_today": grid.cases_today,
                "report": grid.today[0] if grid.today else None,
            }
            for grid in mine
        ],
        "due": counts["due"],
        "reported": counts["reported"],
        "missing": counts["due"] - counts["reported"],
    }


# --- history ---------------------------------------------------------------------------


def zero_report_list(*, user, grid_id=None, start: date | None = None, end: date | None = None):
    """The zero reports of the user's grids, newest day first, optionally of one grid and days."""
    reports = (
        ZeroReport.objects.filter(grid__in=zero_report_grids(user=user).values("pk"))
        .select_related("grid", "grid__village", "filed_by")
        .defer("grid__boundary", "grid__village__boundary")
        .annotate(cases_count=Count("cases"))
        .prefetch_related(Prefetch("cases", queryset=Case.objects.only("pk")))
        .order_by("-day", "grid__code")
    )
    if grid_id is not None:
        reports = reports.filter(grid_id=grid_id)
    if start is not None:
        reports = reports.filter(day__gte=start)
    if end is not None:
        reports = reports.filter(day__lte=end)
    return reports


def zero_report_history(*, grid, start: date, end: date, now=None) -> list[dict]:
    """A grid's days from `start` to `end` (not after today), each with whether it was due and
    its report's time, "nothing found" and number of cases (None where nothing was filed)."""
    today = timezone.localtime(now or timezone.now()).date()
    last_due = last_due_day(now)
    has_worker = due_grids(Grid.objects.filter(pk=grid.pk)).exists()
    reports = {
        r.day: r
        for r in ZeroReport.objects.filter(grid=grid, day__range=(start, end)).annotate(
            cases_count=Count("cases")
        )
    }
    days = []
    day = start
    while day <= min(end, today):
        report = reports.get(day)
        days.append(
            {
                "day": day,
                "due": has_worker and day <= last_due,
                "filed_at": report.filed_at if report else None,
                "nothing_found": report.nothing_found if report else None,
                "cases_count": report.cases_count if report else None,
            }
        )
        day += timedelta(days=1)
    return days
