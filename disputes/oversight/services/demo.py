"""A demo history of daily zero reports: most grids with a worker report most days."""

import random
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from disputes.cases.models import Case
from disputes.core.local_days import day_bounds
from disputes.oversight.models import ZeroReport
from grid.models import Grid


def demo_zero_reports_create(*, days: int = 60, seed: int = 2026) -> int:
    """Zero reports for the past `days` days (not today) of every grid with a worker.

    About one grid in ten is a laggard that misses a third of its days; the
    others miss one day in twenty. A report links the cases of its grid and day.
    """
    rng = random.Random(seed)
    today = timezone.localdate()
    made = 0
    grids = Grid.objects.filter(
        Exists(Grid.workers.through.objects.filter(grid_id=OuterRef("pk")))
    ).prefetch_related("workers")
    for grid in grids.order_by("code"):
        workers = list(grid.workers.all())
        miss = 0.33 if rng.random() < 0.1 else 0.05
        for back in range(days, 0, -1):
            day = today - timedelta(days=back)
            if rng.random() < miss or ZeroReport.objects.filter(grid=grid, day=day).exists():
                continue
            start, end = day_bounds(day)
            cases = list(
                Case.objects.filter(grid=grid, reported_at__gte=start, reported_at__lt=end)
            )
            report = ZeroReport.objects.create(
                grid=grid,
                county_id=grid.county_id,
                day=day,
                filed_by=rng.choice(workers),
                nothing_found=not cases,
            )
            report.cases.set(cases, through_defaults={"county_id": grid.county_id})
            made += 1
    return made
