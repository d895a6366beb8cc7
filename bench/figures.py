"""Figures of a whole county over a year, from the daily roll-ups and straight from the cases.

    bash scripts/bench.sh figures --cases 1000000 --samples 5

In the bench database (see common.py): fills cases up to --cases (spread over
the last year), rebuilds the roll-ups from scratch, then times the whole
figures report (current year, the year before for 同比, the period before for
环比, categories, rankings of townships, trend by month) for the county and
for its busiest township, and the same year's counters computed straight
from the cases. Prints one line:

    bench=figures cases=... rollup_rows=... rebuild_s=... county_year_p50_ms=... \
county_year_p95_ms=... township_year_p50_ms=... direct_county_year_ms=... direct_over_rollup=...
"""

import argparse
import statistics
import time
from datetime import timedelta

from common import demo_county, fill_cases


def timed(fn, samples: int) -> list[float]:
    timings = []
    for _ in range(samples):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args()

    worker = demo_county()
    cases = fill_cases(args.cases, worker.pk)

    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from disputes.models import Case, CaseDayFigure
    from disputes.reporting.selectors.figures import Scope, figures_report
    from disputes.reporting.services.figures import _counters, figures_rebuild
    from villages.models import County, Township

    county = County.objects.get()
    start = time.perf_counter()
    figures_rebuild(county.pk)
    rebuild_s = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE disputes_casedayfigure")
    rows = CaseDayFigure.objects.count()

    end = timezone.localdate()
    first = end - timedelta(days=364)
    busiest = (
        Case.objects.values("township_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["township_id"]
    )
    county_year = timed(lambda: figures_report(Scope("county", county), first, end), args.samples)
    township = Township.objects.get(pk=busiest)
    township_year = timed(
        lambda: figures_report(Scope("township", township), first, end), args.samples
    )

    from django.db.models import Exists, OuterRef

    from disputes.models import CaseEvent

    def direct():
        Case.objects.filter(county=county, reported_at__date__range=(first, end)).annotate(
            was_escalated=Exists(CaseEvent.objects.filter(case=OuterRef("pk"), action="escalate"))
        ).aggregate(**_counters())

    direct_ms = statistics.median(timed(direct, max(1, args.samples // 2)))
    county_p50 = statistics.median(county_year)
    print(
        f"bench=figures cases={cases} rollup_rows={rows} rebuild_s={rebuild_s:.1f} "
        f"county_year_p50_ms={county_p50:.0f} "
        f"county_year_p95_ms={sorted(county_year)[int(0.95 * (len(county_year) - 1))]:.0f} "
        f"township_year_p50_ms={statistics.median(township_year):.0f} "
        f"direct_county_year_ms={direct_ms:.0f} direct_over_rollup={direct_ms / county_p50:.1f}"
    )


if __name__ == "__main__":
    main()
