"""Throughput and latency of POST /api/cases/ against a real server, beside raw inserts.

    bash scripts/bench.sh cases_api --cases 10000 --requests 2000 --concurrency 8

Uses the project-local PostgreSQL in a database of its own, `grid_bench`, with the demo
county: fills it up to --cases cases, starts gunicorn, sends --requests new
cases from --concurrency clients (token login, as phones do) to --workers
gunicorn workers (default 2 x cores + 1, as in production), then does the same
work with psycopg2 from as many connections, one transaction per report: locate
the point with the intake's SQL, insert the case, its party, its event and its
roll-up mark. It counts the rows each side wrote per report and prints one line:

    bench=cases_api cases=... requests=... concurrency=... workers=... api_rps=... \
api_p50_ms=... api_p95_ms=... raw_rps=... ratio=... \
api_rows=case:1,party:1,event:1,mark:1,access_log:1 raw_rows=case:1,...
"""

import argparse
import http.client
import json
import math
import os
import statistics
import threading
import time
import uuid

from common import BENCH_DB, SOCKET_DIR, demo_county, fill_cases, free_port, start_server


def prepare(cases: int):
    worker = demo_county()  # sets Django up

    from django.db import connection
    from knox.models import AuthToken

    _instance, token = AuthToken.objects.create(user=worker)  # the token itself, a str
    present = fill_cases(cases, worker.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p.geom), ST_Y(p.geom) FROM grid_grid g, "
            "LATERAL ST_Dump(ST_GeneratePoints(g.boundary, 200, 7)) p "
            "WHERE g.id IN (SELECT grid_id FROM grid_grid_workers WHERE user_id = %s)",
            [worker.pk],
        )
        points = cursor.fetchall()
    return token, points, worker.pk, present


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


# What one report writes, by the raw side as by the service: the case at the located
# point, its party, its "report" event and its day's roll-up mark (FigureDirtyDay).
RAW_CASE_SQL = """
INSERT INTO disputes_case (uuid, request_hash, channel, reporter_id, occurred_at, reported_at,
    location, accuracy_m, address, grid_id, village_id, township_id, county_id, category_id,
    people_involved, description, urgency, status, level, outcome, satisfaction, due_date,
    deadline_kind, deadline_basis, extended_days, reviews, point_known, hotline_ticket,
    agent_name, agent_unit, agent_phone, query_code_hash, is_key, marked_backlog)
VALUES (%(uuid)s, %(hash)s, 'patrol', %(reporter)s, now(), now(),
        ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326), 8, '', %(grid)s, %(village)s,
        %(township)s, %(county)s, %(category)s, 1, %(description)s, 'normal', 'reported',
        'grid', '', '', current_date + 15, 'acceptance', '{}', 0, 0, true, '', '', '', '', '',
        false, false)
RETURNING id
"""
RAW_PARTY_SQL = """
INSERT INTO disputes_party (case_id, county_id, role, name, phone, id_number_masked,
    id_number_hash, id_number_encrypted, name_phone_hash)
VALUES (%s, %s, 'complainant', %s, %s, '', '', '', %s)
"""
RAW_EVENT_SQL = """
INSERT INTO disputes_caseevent (case_id, county_id, actor_id, at, action, from_status,
    to_status, from_level, to_level, note, reply)
VALUES (%s, %s, %s, now(), 'report', '', 'reported', '', 'grid', '', '')
"""
RAW_MARK_SQL = "INSERT INTO disputes_figuredirtyday (county_id, day) VALUES (%s, current_date)"

# The tables a report writes to; rows are counted before and after each side.
WRITTEN_TABLES = (
    "disputes_case",
    "disputes_party",
    "disputes_caseevent",
    "disputes_figuredirtyday",
    "disputes_partyaccesslog",
)


def table_rows(cursor) -> dict[str, int]:
    # The roll-up refresh deletes FigureDirtyDay rows; Celery does not run during the bench.
    counts = {}
    for table in WRITTEN_TABLES:
        cursor.execute(f"SELECT count(*) FROM {table}")
        counts[table] = cursor.fetchone()[0]
    return counts


def rows_written(before: dict, after: dict, reports: int) -> str:
    """Rows written per report in each table, e.g. case:1,party:1,event:1,mark:1,access_log:0."""
    short = dict(zip(WRITTEN_TABLES, ("case", "party", "event", "mark", "access_log"), strict=True))
    return ",".join(f"{short[t]}:{(after[t] - before[t]) / reports:g}" for t in WRITTEN_TABLES)


def run_raw(points, requests, concurrency, reporter, category_id):
    """The same work as one report, with psycopg2, one transaction per report: locate the
    point with the intake's own SQL, insert the case, its party, its event and its mark."""
    import psycopg2
    from django.conf import settings

    from disputes.cases import identity
    from disputes.cases.services import fingerprints
    from grid.spatial import LOCATE_SQL

    tolerance_m = settings.GRID_GAP_TOLERANCE_M

    def client(count, offset):
        connection = psycopg2.connect(host=str(SOCKET_DIR), user="postgres", dbname=BENCH_DB)
        with connection.cursor() as cursor:
            for i in range(count):
                n = offset + i
                body = payload(points[n % len(points)], n)
                lon, lat = body["longitude"], body["latitude"]
                party = body["parties"][0]
                deg = tolerance_m / (110_000 * max(math.cos(math.radians(lat)), 0.01))
                cursor.execute(
                    LOCATE_SQL,
                    {"lon": lon, "lat": lat, "tol": tolerance_m, "deg": deg, "worker": reporter},
                )
                row = cursor.fetchone()
                grid, village, township, county = row[2], row[5], row[8], row[11]
                cursor.execute(
                    RAW_CASE_SQL,
                    {
                        "uuid": body["uuid"],
                        "hash": fingerprints.request_hash(body),
                        "reporter": reporter,
                        "lon": lon,
                        "lat": lat,
                        "grid": grid,
                        "village": village,
                        "township": township,
                        "county": county,
                        "category": category_id,
                        "description": body["description"],
                    },
                )
                case_id = cursor.fetchone()[0]
                cursor.execute(
                    RAW_PARTY_SQL,
                    [
                        case_id,
                        county,
                        party["name"],
                        party["phone"],
                        identity.name_phone_hash(party["name"], party["phone"]),
                    ],
                )
                cursor.execute(RAW_EVENT_SQL, [case_id, county, reporter])
                cursor.execute(RAW_MARK_SQL, [county])
                connection.commit()
        connection.close()

    return requests / fan_out(client, requests, concurrency)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--concurrency", type=int, default=8)
    # As the README recommends for production (scripts/run.sh): 2 x cores + 1.
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    args = parser.parse_args()

    token, points, reporter, present = prepare(args.cases)
    from django.db import connection

    from disputes.cases.models import Category

    category_id = Category.objects.get(code="neighbours").pk
    port = free_port()
    server = start_server(port, args.workers)
    try:
        run_api(port, token, points, min(50, args.requests), args.concurrency)  # warm up
        with connection.cursor() as cursor:
            before = table_rows(cursor)
            api_rps, latencies = run_api(port, token, points, args.requests, args.concurrency)
            api_rows = rows_written(before, table_rows(cursor), args.requests)
    finally:
        server.terminate()
        server.wait()
    with connection.cursor() as cursor:
        before = table_rows(cursor)
        raw_rps = run_raw(points, args.requests, args.concurrency, reporter, category_id)
        raw_rows = rows_written(before, table_rows(cursor), args.requests)
    quantiles = statistics.quantiles(latencies, n=100)
    print(
        f"bench=cases_api cases={present} requests={args.requests} "
        f"concurrency={args.concurrency} workers={args.workers} "
        f"api_rps={api_rps:.1f} api_p50_ms={quantiles[49] * 1000:.1f} "
        f"api_p95_ms={quantiles[94] * 1000:.1f} raw_rps={raw_rps:.1f} ratio={api_rps / raw_rps:.3f} "
        f"api_rows={api_rows} raw_rows={raw_rows}"
    )


if __name__ == "__main__":
    main()
