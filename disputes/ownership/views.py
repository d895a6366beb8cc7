"""The backlog page (/desk/backlog/): backlog and key cases with their 包案 leaders, the
weekly progress notes missing, and the backlog week by week. Thin: selectors read."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from disputes.ownership.formatting import backlog_chart
from disputes.ownership.selectors import backlog as selectors

FIRST_DAY = date(2000, 1, 1)


def _week(value: str, today: date) -> date:
    """The Monday of the week asked for (any day of it, YYYY-MM-DD); ValueError if bad."""
    day = date.fromisoformat(value)
    if day < FIRST_DAY or day > today:
        raise ValueError(value)
    return selectors.week_monday(day)


def _weeks(value: str) -> int:
    weeks = int(value)
    if not 1 <= weeks <= selectors.WEEKS_MAX:
        raise ValueError(value)
    return weeks


@require_GET
@login_required
def backlog_page(request):
    area = selectors.backlog_area(request.user)
    if area is None:
        raise Http404
    now = timezone.now()
    today = timezone.localdate(now)
    errors = []
    monday = selectors.week_monday(today)
    weeks = selectors.WEEKS_DEFAULT
    if request.GET.get("week"):
        try:
            monday = _week(request.GET["week"][:20], today)
        except ValueError:
            errors.append(_("The week is a day (YYYY-MM-DD) from 2000 to today."))
    if request.GET.get("weeks"):
        try:
            weeks = _weeks(request.GET["weeks"][:5])
        except ValueError:
            errors.append(
                _("The number of weeks is a whole number from 1 to %(max)d.")
                % {"max": selectors.WEEKS_MAX}
            )
    rows = selectors.backlog_and_key_cases(area=area.q, now=now)
    progress = [
        selectors.progress_week(area=area.q, monday=monday, now=now),
        selectors.progress_week(area=area.q, monday=monday - timedelta(weeks=1), now=now),
    ]
    over_time = selectors.backlog_over_time(area=area.q, weeks=weeks, now=now)
    return render(
        request,
        "ownership/backlog.html",
        {
            "area": area,
            "rows": rows,
            "without_leader": sum(1 for row in rows if row["leader"] is None),
            "progress": progress,
            "this_monday": selectors.week_monday(today),
            "over_time": over_time,
            "chart": backlog_chart(over_time),
            "backlog_days": settings.BACKLOG_DAYS,
            "errors": errors,
            "weeks": weeks,
        },
        status=400 if errors else 200,
    )
