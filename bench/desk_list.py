"""The desk's case list: a filtered page as the county office and a township leader see it.

    bash scripts/bench.sh desk_list --cases 1000000 --samples 50

In the bench database (see common.py): fills cases up to --cases, then asks
the list page (the whole view: filters, scope, capped count, the page's rows,
its map points, the template) for each query below through Django's test
client, --samples times each, as the demo county office and as the leader of
the demo's township leader. Prints one line per query and role:

    bench=desk_list cases=... role=... query=... samples=... p50_ms=... p95_ms=... queries=...

and a last line with the worst p95 of all.
"""

import argparse
import statistics
import time

from common import demo_county, fill_cases

QUERIES = [
    "",
    "status=reported",
    "status=accepted&status=in_handling&category=neighbours",
    "due=overdue&sort=due_date",
    "due=soon&level=grid",
    "q=bench",
    "q=排水沟",
    "q=%23123456",
    "reported_after=2026-01-01&reported_before=2026-03-31&sort=reported_at",
    "team=none&status=accepted",
    "page=40&size=50",
]


def p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=50)
    args = parser.parse_args()

    worker = demo_county()
    cases = fill_cases(args.cases, worker.pk)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from villages.models import Staff

    users = {
        "county_office": get_user_model()
        .objects.filter(staff__role=Staff.Role.COUNTY_OFFICE)
        .first(),
        "township_leader": get_user_model()
        .objects.filter(staff__role=Staff.Role.TOWNSHIP_LEADER)
        .order_by("pk")
        .first(),
    }
    worst = 0.0
    for role, user in users.items():
        if user is None:
            continue
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        for query in QUERIES:
            url = f"/desk/cases/?{query}"
            client.get(url)  # warm
            timings = []
            for _ in range(args.samples):
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            worst = max(worst, p95(timings))
            print(
                f"bench=desk_list cases={cases} role={role} query={query or '-'} "
                f"samples={args.samples} p50_ms={statistics.median(timings):.0f} "
                f"p95_ms={p95(timings):.0f} queries={len(queries)}",
                flush=True,
            )
    print(f"bench=desk_list cases={cases} worst_p95_ms={worst:.0f}")


if __name__ == "__main__":
    main()
