"""The leaders' page of the daily zero report (每天零报告): who has not reported, and compliance."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from disputes import selectors_zero_reports as zr

COMPLIANCE_DAYS = 30


FIRST_DAY = date(2000, 1, 1)


def _day(value: str, today: date) -> date:
    """The day asked for, within 2000 to today; today for anything else."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return today
    return today if day < FIRST_DAY else min(day, today)


@require_GET
@login_required
def zero_reports_page(request):
    level, unit = zr.zero_report_area(request.user)
    if unit is None:
        raise Http404
    today = timezone.localdate()
    day = _day(request.GET.get("day", ""), today)
    start = day - timedelta(days=COMPLIANCE_DAYS - 1)
    grids = zr.zero_report_grids(user=request.user)
    reported, due = zr.zero_report_compliance(grids_qs=grids, start=start, end=day)
    villages = zr.zero_report_compliance_by_village(grids_qs=grids, start=start, end=day)
    for row in villages:
        row["percent"] = None if row["rate"] is None else 100 * row["rate"]
    return render(
        request,
        "disputes/zero_reports.html",
        {
            "home_level": level,
            "home": unit,
            "day": day,
            "today": today,
            "missing": zr.zero_report_missing(user=request.user, day=day),
            "start": start,
            "days_reported": reported,
            "days_due": due,
            "percent": 100 * reported / due if due else None,
            "villages": villages,
        },
    )
