"""The daily emerging-hotspot job over a whole county.

    bash scripts/bench.sh hotspot_alerts --cases 1000000 --samples 5

In the bench database (see common.py): fills cases up to --cases (spread over
the last year, the same mix in every village, so the county is quiet), adds a
cluster of --cluster cases of one category in one village today, then times the
job for the county (one query for nine weeks of cases per village, category
and day, then the tests), removing its alert between samples. Prints one line:

    bench=hotspot_alerts cases=... window_cases=... pairs=... tests=... alerts=... \
alert_village=... p50_ms=... p95_ms=... max_ms=...
"""

import argparse
import statistics
import time

from common import demo_county, fill_cases


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--cluster", type=int, default=40)
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args()

    worker = demo_county()
    cases = fill_cases(args.cases, worker.pk)

    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from disputes.alerts.models import HotspotAlert
    from disputes.alerts.selectors.counts import weekly_counts
    from disputes.alerts.services.alerts import county_alerts
    from disputes.models import Case, Category, Notification
    from villages.models import County, Village

    county = County.objects.get()
    today = timezone.localdate()
    village = Village.objects.filter(county=county, grids__isnull=False).order_by("code").first()
    category = Category.objects.get(code="environment")
    model = Case.objects.filter(village=village).first()
    Case.objects.filter(description="bench cluster").delete()
    Case.objects.bulk_create(
        Case(
            request_hash="",
            channel="patrol",
            reporter_id=worker.pk,
            occurred_at=timezone.now(),
            location=model.location,
            grid_id=model.grid_id,
            village_id=village.pk,
            township_id=village.township_id,
            county_id=county.pk,
            category=category,
            description="bench cluster",
            status="reported",
            level="grid",
        )
        for _ in range(args.cluster)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE disputes_case")

    days, weeks = settings.HOTSPOT_WINDOW_DAYS, settings.HOTSPOT_BASELINE_WEEKS
    counts = weekly_counts(county_id=county.pk, end=today, days=days, weeks=weeks)
    window_cases = sum(sum(windows) for windows in counts.values())
    tests = (
        Village.objects.filter(county=county).count() * Category.objects.filter(active=True).count()
    )

    timings, raised = [], []
    for _ in range(args.samples):
        HotspotAlert.objects.filter(county=county).delete()
        Notification.objects.filter(link__startswith="/maps/hotspots/").delete()
        start = time.perf_counter()
        raised = county_alerts(county=county, today=today)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    print(
        f"bench=hotspot_alerts cases={cases} window_cases={window_cases} pairs={len(counts)} "
        f"tests={tests} alerts={len(raised)} "
        f"alert_village={'yes' if [a.village_id for a in raised] == [village.pk] else 'no'} "
        f"p50_ms={statistics.median(timings):.0f} p95_ms={p95:.0f} max_ms={timings[-1]:.0f}"
    )


if __name__ == "__main__":
    main()
