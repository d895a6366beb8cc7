"""Keeping the daily roll-ups (CaseDayFigure, per township and per county) equal to the cases.

A change to a case records an event (disputes.cases.services.events), which
inserts a mark (FigureDirtyDay) for the case's county and report day in the same
transaction. figures_refresh, run by Celery after the change and every minute
by beat, takes the committed marks, rebuilds their days from the cases and
deletes exactly the marks it took. A change that commits while its day is
being rebuilt has a mark the refresh did not take, so the next run rebuilds
the day again: no change is lost, and marking never waits on a lock.

Advisory locks keep rebuilds apart: one of a county's days at a time, and no
day while the whole county is rebuilt (figures_rebuild, after loading cases
by SQL), which would otherwise leave a day counted twice.
"""

import logging
from datetime import date

from django.db import DatabaseError, connection, transaction
from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from disputes.cases.models import Case, CaseEvent, FigureDirtyDay
from disputes.core.local_days import day_bounds
from disputes.reporting.models import (
    COUNTERS,
    CaseDayCountyFigure,
    CaseDayFigure,
    CaseDayTownshipFigure,
)
from villages.models import County

logger = logging.getLogger(__name__)
S, Outcome, Sat = Case.Status, Case.Outcome, Case.Satisfaction
DIMENSIONS = ("county_id", "township_id", "village_id", "grid_id", "category_id", "team_id")
TOWNSHIP_DIMENSIONS = ("county_id", "township_id", "category_id")
COUNTY_DIMENSIONS = ("county_id", "category_id")
REFRESH_BATCH = 1000
COUNTY_LOCK_BASE = 0x6669_0000_0000  # "fi"gures: keeps these one-key locks apart


def _count(condition: Q | None = None):
    return Count("id", filter=condition)


def _counters() -> dict:
    """Each roll-up counter as an aggregate over the cases of one row; keys in COUNTERS order."""
    channels = {f"received_{channel}": _count(Q(channel=channel)) for channel in Case.Channel}
    accepted = Q(accepted_at__isnull=False)
    counters = {
        "received": _count(),
        **channels,
        "people": Coalesce(Sum("people_involved"), 0),
        "amount": Coalesce(
            Sum("amount_at_stake"),
            Value(0),
            output_field=DecimalField(max_digits=16, decimal_places=2),
        ),
        "accepted": _count(accepted),
        "not_accepted": _count(Q(status=S.NOT_ACCEPTED)),
        "level_grid": _count(accepted & Q(level="grid")),
        "level_village": _count(accepted & Q(level="village")),
        "level_township": _count(accepted & Q(level="township")),
        "level_county": _count(accepted & Q(level="county")),
        "escalated": _count(Q(was_escalated=True)),
        "resolved": _count(Q(resolved_at__isnull=False)),
        "resolved_on_time": _count(Q(resolved_at__isnull=False, resolved_on_time=True)),
        "settled": _count(Q(outcome=Outcome.SETTLED)),
        "partly_settled": _count(Q(outcome=Outcome.PARTLY_SETTLED)),
        "not_settled": _count(Q(outcome=Outcome.NOT_SETTLED)),
        "referred": _count(Q(outcome=Outcome.REFERRED) | Q(status=S.REFERRED)),
        "repeats": _count(Q(repeat_of__isnull=False)),
        "followed_up": _count(~Q(satisfaction="")),
        "satisfied": _count(Q(satisfaction=Sat.SATISFIED)),
        "basically_satisfied": _count(Q(satisfaction=Sat.BASICALLY_SATISFIED)),
        "not_satisfied": _count(Q(satisfaction=Sat.NOT_SATISFIED)),
    }
    assert tuple(counters) == COUNTERS, "keep the roll-up counters and COUNTERS in one order"
    return counters


def _rollup_rows(cases):
    """Rows of (day, dimensions, counters) of the cases, grouped by day and dimensions."""
    return (
        cases.annotate(
            was_escalated=Exists(
                CaseEvent.objects.filter(case=OuterRef("pk"), action=CaseEvent.Action.ESCALATE)
            ),
            report_day=TruncDate("reported_at", tzinfo=timezone.get_current_timezone()),
        )
        .values("report_day", *DIMENSIONS)
        .annotate(**_counters())
        .order_by()
    )


def _insert(model, dimensions, rows) -> int:
    """INSERT INTO the model's table the rows (day, dimensions, COUNTERS) of a queryset."""
    selected = list(rows.query.selected)
    if selected[1:] != [*dimensions, *COUNTERS]:
        raise RuntimeError(f"roll-up columns out of order: {selected}")
    sql, params = rows.query.sql_with_params()
    columns = ", ".join(("day", *dimensions, *COUNTERS))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {model._meta.db_table} ({columns}) {sql}", params)
        return cursor.rowcount


def _insert_rollups(cases, figures, townships) -> int:
    """Roll `cases` up into CaseDayFigure, those rows (`figures`) up per township, and the
    townships' rows (`townships`) up per county."""
    inserted = _insert(CaseDayFigure, DIMENSIONS, _rollup_rows(cases))
    for model, dimensions, rows in (
        (CaseDayTownshipFigure, TOWNSHIP_DIMENSIONS, figures),
        (CaseDayCountyFigure, COUNTY_DIMENSIONS, townships),
    ):
        _insert(
            model,
            dimensions,
            rows.values("day", *dimensions)
            .annotate(**{name: Sum(name) for name in COUNTERS})
            .order_by(),
        )
    return inserted


def day_refresh(county_id: int, day: date) -> int:
    """Rebuild one county's roll-up rows for one report day; returns how many rows it has."""
    start, end = day_bounds(day)
    with transaction.atomic(), connection.cursor() as cursor:
        # Days of a county rebuild side by side, never during a whole-county rebuild; one
        # rebuild of a day at a time: a second waits, then replaces the first's rows.
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [_county_lock(county_id)])
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [county_id, day.toordinal()])
        for model in (CaseDayFigure, CaseDayTownshipFigure, CaseDayCountyFigure):
            model.objects.filter(county_id=county_id, day=day).delete()
        return _insert_rollups(
            Case.objects.filter(county_id=county_id, reported_at__gte=start, reported_at__lt=end),
            CaseDayFigure.objects.filter(county_id=county_id, day=day),
            CaseDayTownshipFigure.objects.filter(county_id=county_id, day=day),
        )


def figures_refresh() -> int:
    """Rebuild every marked day; safe to run at once in several workers. Returns days rebuilt.

    A day that cannot be rebuilt is logged and skipped, its marks kept for the next run:
    it never stops the other days (and so everyone's figures) from being brought up to date.
    """
    rebuilt = 0
    failed: set[tuple[int, date]] = set()
    while True:
        with transaction.atomic():
            taken = FigureDirtyDay.objects.select_for_update(skip_locked=True).order_by("pk")
            for county_id, day in failed:
                taken = taken.exclude(county_id=county_id, day=day)
            marks = list(taken.values_list("pk", "county_id", "day")[:REFRESH_BATCH])
            days = sorted({(county_id, day) for _pk, county_id, day in marks})
            for county_id, day in days:
                try:
                    with transaction.atomic():
                        day_refresh(county_id, day)
                except DatabaseError:
                    logger.exception(
                        "figures: the roll-up of county %s, day %s could not be rebuilt; "
                        "skipped, its marks are kept",
                        county_id,
                        day,
                    )
                    failed.add((county_id, day))
            done = [pk for pk, c, d in marks if (c, d) not in failed]
            FigureDirtyDay.objects.filter(pk__in=done).delete()
        rebuilt += len([d for d in days if d not in failed])
        if len(marks) < REFRESH_BATCH:
            return rebuilt


def _county_lock(county_id: int) -> int:
    """The one-key advisory lock of a county's roll-ups (a key space apart from two-key locks)."""
    return COUNTY_LOCK_BASE + county_id


@transaction.atomic
def figures_rebuild(county_id: int | None = None) -> int:
    """Rebuild the roll-ups of a county (or all) from scratch: after loading cases by SQL."""
    ids = [county_id] if county_id is not None else County.objects.values_list("pk", flat=True)
    with connection.cursor() as cursor:
        for pk in sorted(ids):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_county_lock(pk)])
    figures = CaseDayFigure.objects.all()
    townships = CaseDayTownshipFigure.objects.all()
    counties = CaseDayCountyFigure.objects.all()
    cases = Case.objects.all()
    marks = FigureDirtyDay.objects.all()
    if county_id is not None:
        figures, townships, counties, cases, marks = (
            qs.filter(county_id=county_id) for qs in (figures, townships, counties, cases, marks)
        )
    figures.delete()
    townships.delete()
    counties.delete()
    marks.delete()
    return _insert_rollups(cases, figures, townships)
