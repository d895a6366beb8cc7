"""Throughput and latency of POST /api/cases/ against a real server, beside raw inserts.

    bash scripts/bench.sh cases_api --cases 10000 --requests 2000 --concurrency 8

Uses the project-local PostgreSQL in a database of its own, `grid_bench`, with the demo
county: fills it up to --cases cases, starts gunicorn, sends --requests new
cases from --concurrency clients (token login, as phones do), then inserts
the same number of the same case rows with psycopg2 from as many
connections, and prints one line:

    bench=cases_api cases=... requests=... concurrency=... workers=... api_rps=... \
api_p50_ms=... api_p95_ms=... raw_rps=... ratio=...
"""

import argparse
import http.client
import json
import statistics
import threading
import time
import uuid

from common import BENCH_DB, SOCKET_DIR, demo_county, fill_cases, free_port, start_server


def prepare(cases: int):
    worker = demo_county()  # sets Django up

    from django.db import connection
    from knox.models import AuthToken

    _instance, token = AuthToken.objects.create(user=worker)
    present = fill_cases(cases, worker.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p.geom), ST_Y(p.geom) FROM grid_grid g, "
            "LATERAL ST_Dump(ST_GeneratePoints(g.boundary, 200, 7)) p "
            "WHERE g.id IN (SELECT grid_id FROM grid_grid_workers WHERE user_id = %s)",
            [worker.pk],
        )
        points = cursor.fetchall()
    return token.key, points, worker.pk, present


def payload(point, n) -> dict:
    return {
        "uuid": str(uuid.uuid4()),
        "channel": "patrol",
        "longitude": point[0],
        "latitude": point[1],
        "accuracy_m": 8,
        "category": "neighbours",
        "description": "排水沟堵塞引发邻里争执",
        "parties": [{"role": "complainant", "name": f"张{n % 997}", "phone": f"138{n:08d}"}],
    }


def fan_out(client, requests: int, concurrency: int) -> float:
    """Run client(count, offset) in `concurrency` threads sharing `requests`; the wall time."""
    shares = [requests // concurrency + (i < requests % concurrency) for i in range(concurrency)]
    threads = [threading.Thread(target=client, args=(n, i * 1000)) for i, n in enumerate(shares)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def run_api(port, token, points, requests, concurrency):
    latencies, errors, lock = [], [], threading.Lock()

    def client(count, offset):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Host": "localhost",
        }
        for i in range(count):
            body = json.dumps(payload(points[(offset + i) % len(points)], offset + i))
            started = time.perf_counter()
            connection.request("POST", "/api/cases/", body, headers)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if response.status != 201:
                    errors.append(response.status)
        connection.close()

    wall = fan_out(client, requests, concurrency)
    if errors:
        raise SystemExit(f"{len(errors)} requests failed, e.g. HTTP {errors[0]}")
    return requests / wall, latencies


def run_raw(points, requests, concurrency, reporter):
    """The same case row, inserted with psycopg2 from `concurrency` connections."""
    import psycopg2

    row = """
    INSERT INTO disputes_case (uuid, request_hash, channel, reporter_id, occurred_at, reported_at,
        location, accuracy_m, address, grid_id, village_id, township_id, county_id, category_id,
        people_involved, description, urgency, status, level, outcome, satisfaction, due_date,
        deadline_kind, deadline_basis, extended_days, reviews)
    SELECT %s, '', 'patrol', %s, now(), now(), ST_SetSRID(ST_MakePoint(%s, %s), 4326), 8, '',
           g.id, g.village_id, g.township_id, g.county_id, 2, 1, 'bench', 'normal', 'reported',
           'grid', '', '', current_date + 15, 'acceptance', '{}', 0, 0
      FROM grid_grid g WHERE g.id = (SELECT min(grid_id) FROM grid_grid_workers WHERE user_id = %s)
    """

    def client(count, offset):
        connection = psycopg2.connect(host=str(SOCKET_DIR), user="postgres", dbname=BENCH_DB)
        with connection.cursor() as cursor:
            for i in range(count):
                lon, lat = points[(offset + i) % len(points)]
                cursor.execute(row, [str(uuid.uuid4()), reporter, lon, lat, reporter])
                connection.commit()
        connection.close()

    return requests / fan_out(client, requests, concurrency)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()

    token, points, reporter, present = prepare(args.cases)
    port = free_port()
    server = start_server(port, args.workers)
    try:
        run_api(port, token, points, min(50, args.requests), args.concurrency)  # warm up
        api_rps, latencies = run_api(port, token, points, args.requests, args.concurrency)
    finally:
        server.terminate()
        server.wait()
    raw_rps = run_raw(points, args.requests, args.concurrency, reporter)
    quantiles = statistics.quantiles(latencies, n=100)
    print(
        f"bench=cases_api cases={present} requests={args.requests} "
        f"concurrency={args.concurrency} workers={args.workers} "
        f"api_rps={api_rps:.1f} api_p50_ms={quantiles[49] * 1000:.1f} "
        f"api_p95_ms={quantiles[94] * 1000:.1f} raw_rps={raw_rps:.1f} ratio={api_rps / raw_rps:.3f}"
    )


if __name__ == "__main__":
    main()
