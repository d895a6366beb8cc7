"""The team candidate query for a case, with and without the GiST index on the base.

    bash scripts/bench.sh team_candidates --cases 1000000 --teams 10000 --samples 1000

In the bench database (see common.py): fills cases up to --cases and teams up
to --teams (bases spread over the demo county, circles of 2-8 km as their
service areas, varied capacity and load), then times the candidate query of
disputes.teams.spatial for --samples random cases, shows from EXPLAIN which index
serves it, runs the same cases with index scans disabled, and prints one line:

    bench=team_candidates cases=... teams=... samples=... p50_ms=... p95_ms=... \
index=... noindex_p50_ms=... noindex_p95_ms=... ratio_p50=...
"""

import argparse
import re
import statistics
import time

from common import demo_county, fill_cases

TEAMS_SQL = """
INSERT INTO disputes_team (name, kind, pillar, township_id, county_id, base, service_radius_m,
                           capacity, load, active)
SELECT 'bench team ' || n, 'mediation_committee', 'service', t.id, t.county_id, p.geom,
       2000 + (n * 37) %% 6000, 5 + n %% 10, n %% 7, n %% 20 <> 0
  FROM (SELECT row_number() OVER () AS n, geom
          FROM ST_Dump(ST_GeneratePoints((SELECT boundary FROM villages_county LIMIT 1), %(n)s, 11))) p
  JOIN LATERAL (SELECT id, county_id FROM villages_township
                 WHERE ST_Intersects(boundary, p.geom) LIMIT 1) t ON true
"""
COVERAGE_SQL = """
UPDATE disputes_team SET coverage = ST_Multi(ST_Buffer(base::geography, service_radius_m)::geometry)
 WHERE coverage IS NULL AND service_radius_m IS NOT NULL
"""


def fill_teams(teams: int) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM disputes_team")
        missing = teams - cursor.fetchone()[0]
        if missing > 0:
            cursor.execute(TEAMS_SQL, {"n": missing})
            cursor.execute(COVERAGE_SQL)
            cursor.execute("ANALYZE disputes_team")
        cursor.execute("SELECT count(*) FROM disputes_team")
        return cursor.fetchone()[0]


def time_queries(case_ids, max_m, *, index: bool) -> list[float]:
    from django.db import connection, transaction

    from disputes.teams.spatial import TEAM_CANDIDATES_SQL

    timings = []
    with transaction.atomic(), connection.cursor() as cursor:
        if not index:
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
        for case_id in case_ids:
            started = time.perf_counter()
            cursor.execute(TEAM_CANDIDATES_SQL, {"case": case_id, "max_m": max_m, "limit": 5})
            cursor.fetchall()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def index_used(case_id, max_m) -> str:
    from django.db import connection

    from disputes.teams.spatial import TEAM_CANDIDATES_SQL

    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN ANALYZE " + TEAM_CANDIDATES_SQL, {"case": case_id, "max_m": max_m, "limit": 5}
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    used = re.findall(r"Index Scan (?:using|on) (disputes_team_\w+)", plan)
    return "+".join(dict.fromkeys(used)) or "none"


def quantile(values, q) -> float:
    return statistics.quantiles(values, n=100)[q - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--teams", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=1_000)
    args = parser.parse_args()

    worker = demo_county()
    from django.conf import settings
    from django.db import connection

    cases = fill_cases(args.cases, worker.pk)
    teams = fill_teams(args.teams)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM disputes_case TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT %s",
            [args.samples],
        )
        case_ids = [row[0] for row in cursor.fetchall()]
    max_m = settings.TEAM_MAX_DISTANCE_M
    time_queries(case_ids[:50], max_m, index=True)  # warm the cache
    with_index = time_queries(case_ids, max_m, index=True)
    without = time_queries(case_ids, max_m, index=False)
    print(
        f"bench=team_candidates cases={cases} teams={teams} samples={len(case_ids)} "
        f"p50_ms={quantile(with_index, 50):.2f} p95_ms={quantile(with_index, 95):.2f} "
        f"index={index_used(case_ids[0], max_m)} "
        f"noindex_p50_ms={quantile(without, 50):.2f} noindex_p95_ms={quantile(without, 95):.2f} "
        f"ratio_p50={quantile(without, 50) / quantile(with_index, 50):.1f}"
    )


if __name__ == "__main__":
    main()
