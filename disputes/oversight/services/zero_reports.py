"""每天零报告: a grid worker files the day's report of a grid; reminders after the cutoff.

A report links the cases reported in the grid that day ("what I found"), or
says there is nothing to report when there are none. Filing again the same
day refreshes the links: one report per grid and day (a database constraint).
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disputes.cases.models import Case
from disputes.core.errors import CaseInputError, NotAllowed
from disputes.core.local_days import day_bounds
from disputes.oversight.models import Notification, ZeroReport
from disputes.oversight.selectors.zero_reports import cutoff_passed, due_grids
from disputes.oversight.services.notifications import notifications_create
from grid.models import Grid


def zero_report_file(*, user, grid_id, day=None, note: str = "") -> ZeroReport:
    """File (or refresh) `user`'s report of grid `grid_id` for today; the report.

    Only a worker of the grid files it (NotAllowed otherwise), and only for
    today, local time (CaseInputError on "day" otherwise). The cases reported
    in the grid that day are linked; a second filing keeps the first one's
    time and filer, and its note unless a new one is given.
    """
    today = timezone.localdate()
    day = day or today
    if day != today:
        raise CaseInputError("day", _("A zero report can only be filed for today."))
    grid = (
        Grid.objects.only("pk", "county_id")
        .filter(pk=grid_id, workers=user, workers__is_active=True)
        .first()
    )
    if grid is None:  # the same answer for another's grid and for no grid
        raise NotAllowed(_("Only a grid worker of this grid files its zero report."))
    start, end = day_bounds(day)
    with transaction.atomic():
        # Locks the day's row, or inserts it; a concurrent insert makes get_or_create read it.
        report, _created = ZeroReport.objects.select_for_update().get_or_create(
            grid_id=grid.pk,
            day=day,
            defaults={
                "county_id": grid.county_id,
                "filed_by": user,
                "nothing_found": True,
                "note": note,
            },
        )
        case_ids = list(
            Case.objects.filter(
                grid_id=grid.pk, reported_at__gte=start, reported_at__lt=end
            ).values_list("pk", flat=True)
        )
        report.nothing_found = not case_ids
        if note:
            report.note = note
        report.save(update_fields=["nothing_found", "note"])
        report.cases.set(case_ids, through_defaults={"county_id": report.county_id})
    return report


def reminder_message(grid: Grid) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return (_("Today's zero report is not filed yet: %(grid)s") % {"grid": str(grid)})[:200]


def zero_reminders_send(*, now=None) -> int:
    """After the cutoff, remind each active worker of each due grid without today's report, once.

    Does nothing before the cutoff. A worker who already has today's reminder
    for a grid is not reminded again, so the task may run any number of times;
    each grid is handled under its row lock so two runs at once do not both
    remind. Returns how many notifications were created.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if not cutoff_passed(today, now):
        return 0
    start, _end = day_bounds(today)
    link = reverse("mobile")
    grid_ids = list(
        due_grids(Grid.objects.all())
        .exclude(zero_reports__day=today)
        .order_by("code")
        .values_list("pk", flat=True)
    )
    sent = 0
    for grid_id in grid_ids:
        with transaction.atomic():
            grid = (
                Grid.objects.select_for_update(no_key=True, of=("self",))
                .select_related("village")
                .defer("boundary", "village__boundary")
                .get(pk=grid_id)
            )
            if ZeroReport.objects.filter(grid_id=grid_id, day=today).exists():
                continue
            message = reminder_message(grid)
            reminded = Notification.objects.filter(
                message=message, link=link, created_at__gte=start
            ).values("user_id")
            users = grid.workers.filter(is_active=True).exclude(pk__in=reminded)
            sent += len(notifications_create(users=users, message=message, link=link))
    return sent
