"""County-year figures from the daily roll-ups beside the same figures counted from the cases.

    bash scripts/bench.sh figures --cases 1000000 --samples 50

In the bench database (see common.py): fills cases up to --cases (spread over
the last year) and rebuilds the roll-ups from scratch. Then, like for like,
the counters a figures report quotes for a county over a year (every counter
of the roll-ups and the rates made from them) for its three periods (the
year, the period before for 环比, the same dates a year earlier for 同比) are
read --samples times from the roll-ups, as disputes.reporting.selectors.figures
reads them, and --samples times counted straight from the cases (the same
aggregates the roll-ups are built with, over the period's local days as
instants, so that the index on the report time can serve it); the two must agree. The whole
report (categories, rankings, trend, zero reports and departments too) is
timed for the county and its busiest township. One line:

    bench=figures cases=... rollup_rows=... township_rows=... rebuild_s=... samples=... \\
rollup_p50_ms=... rollup_p95_ms=... cases_p50_ms=... cases_p95_ms=... cases_over_rollup_p50=... \\
cases_over_rollup_p95=... report_county_p50_ms=... report_county_p95_ms=... report_township_p50_ms=...
"""

import argparse
import statistics
import time
from datetime import timedelta

from common import demo_county, fill_cases


def timed(fn, samples: int) -> tuple[list[float], object]:
    timings, result = [], None
    for _ in range(samples):
        start = time.perf_counter()
        result = fn()
        timings.append((time.perf_counter() - start) * 1000)
    return timings, result


def q(values, n) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[n - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--no-rebuild", action="store_true", help="keep the roll-ups as they are")
    args = parser.parse_args()

    worker = demo_county()
    cases = fill_cases(args.cases, worker.pk)

    from django.db import connection
    from django.db.models import Count, Exists, OuterRef
    from django.utils import timezone

    from disputes.core.local_days import day_bounds
    from disputes.models import Case, CaseDayFigure, CaseDayTownshipFigure, CaseEvent
    from disputes.reporting.models import COUNTERS
    from disputes.reporting.selectors.figures import (
        Scope,
        _sums,
        derive,
        figures_report,
        last_year_period,
        previous_period,
    )
    from disputes.reporting.services.figures import _counters, figures_rebuild
    from villages.models import County, Township

    county = County.objects.get()
    start = time.perf_counter()
    if not args.no_rebuild:
        figures_rebuild(county.pk)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE disputes_casedayfigure")
            cursor.execute("ANALYZE disputes_casedaytownshipfigure")
    rebuild_s = time.perf_counter() - start
    rows = CaseDayFigure.objects.count()
    township_rows = CaseDayTownshipFigure.objects.count()

    end = timezone.localdate()
    first = end - timedelta(days=364)
    periods = [(first, end), previous_period(first, end), last_year_period(first, end)]
    scope = Scope("county", county)

    def from_rollups():
        return [derive(_sums(scope.rollups().filter(day__range=p))) for p in periods]

    def from_cases():
        figures = []
        for period_start, period_end in periods:
            counts = (
                Case.objects.filter(
                    county=county,
                    reported_at__gte=day_bounds(period_start)[0],
                    reported_at__lt=day_bounds(period_end)[1],
                )
                .annotate(
                    was_escalated=Exists(
                        CaseEvent.objects.filter(
                            case=OuterRef("pk"), action=CaseEvent.Action.ESCALATE
                        )
                    )
                )
                .aggregate(**_counters())
            )
            figures.append(derive({name: counts[name] for name in COUNTERS}))
        return figures

    from_rollups()  # warm the caches
    rollup, rollup_figures = timed(from_rollups, args.samples)
    direct, direct_figures = timed(from_cases, args.samples)
    if rollup_figures != direct_figures:
        raise SystemExit(
            f"the roll-ups disagree with the cases:\n{rollup_figures}\n{direct_figures}"
        )

    report_county, _ = timed(lambda: figures_report(scope, first, end), args.samples)
    busiest = (Case.objects.values("township_id").annotate(n=Count("id")).order_by("-n").first())[
        "township_id"
    ]
    township = Scope("township", Township.objects.get(pk=busiest))
    report_township, _ = timed(lambda: figures_report(township, first, end), args.samples)
    print(
        f"bench=figures cases={cases} rollup_rows={rows} township_rows={township_rows} "
        f"rebuild_s={rebuild_s:.1f} samples={args.samples} "
        f"rollup_p50_ms={q(rollup, 50):.1f} rollup_p95_ms={q(rollup, 95):.1f} "
        f"cases_p50_ms={q(direct, 50):.0f} cases_p95_ms={q(direct, 95):.0f} "
        f"cases_over_rollup_p50={q(direct, 50) / q(rollup, 50):.1f} "
        f"cases_over_rollup_p95={q(direct, 95) / q(rollup, 95):.1f} "
        f"report_county_p50_ms={q(report_county, 50):.0f} "
        f"report_county_p95_ms={q(report_county, 95):.0f} "
        f"report_township_p50_ms={q(report_township, 50):.0f}"
    )


if __name__ == "__main__":
    main()
