"""The team candidate query for a case, with and without the GiST index on the base.

    bash scripts/bench.sh team_candidates --cases 1000000 --teams 10000 --samples 1000

In the bench database (see common.py): fills cases up to --cases and teams up
to --teams (bases spread over the demo county, circles of 2-8 km as their
service areas, varied capacity and load), then times the candidate query of
disputes.teams.spatial for --samples random cases, shows from EXPLAIN which index
serves it, then runs the same cases once more without the teams' spatial (GiST)
indexes: they are dropped inside a transaction that is rolled back, so every
other index (the case's primary key, the teams' county, the assignments) still
serves the query and only the spatial search differs. Prints one line:

    bench=team_candidates cases=... teams=... samples=... p50_ms=... p95_ms=... \
index=... dropped=... nogist_p50_ms=... nogist_p95_ms=... ratio_p50=... ratio_p95=...
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


SPATIAL_INDEXES_SQL = """
SELECT i.relname FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_am am ON am.oid = i.relam
 WHERE x.indrelid = 'disputes_team'::regclass AND am.amname IN ('gist', 'spgist', 'brin')
 ORDER BY 1
"""


class Rollback(Exception):
    pass


def time_queries(case_ids, max_m, *, spatial_index: bool) -> tuple[list[float], list[str]]:
    """Timings of the candidate query; without spatial_index, the teams' GiST indexes are
    dropped for the run (in a transaction rolled back after it). Returns them and the dropped."""
    from django.db import connection, transaction

    from disputes.teams.spatial import TEAM_CANDIDATES_SQL

    timings, dropped = [], []
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if not spatial_index:
                cursor.execute(SPATIAL_INDEXES_SQL)
                dropped = [row[0] for row in cursor.fetchall()]
                for name in dropped:
                    cursor.execute(f'DROP INDEX "{name}"')
            for case_id in case_ids:
                started = time.perf_counter()
                cursor.execute(TEAM_CANDIDATES_SQL, {"case": case_id, "max_m": max_m, "limit": 5})
                cursor.fetchall()
                timings.append((time.perf_counter() - started) * 1000)
            if not spatial_index:
                raise Rollback
    except Rollback:
        pass
    return timings, dropped


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
    time_queries(case_ids[:50], max_m, spatial_index=True)  # warm the cache
    with_index, _ = time_queries(case_ids, max_m, spatial_index=True)
    without, dropped = time_queries(case_ids, max_m, spatial_index=False)
    print(
        f"bench=team_candidates cases={cases} teams={teams} samples={len(case_ids)} "
        f"p50_ms={quantile(with_index, 50):.2f} p95_ms={quantile(with_index, 95):.2f} "
        f"index={index_used(case_ids[0], max_m)} dropped={'+'.join(dropped) or 'none'} "
        f"nogist_p50_ms={quantile(without, 50):.2f} nogist_p95_ms={quantile(without, 95):.2f} "
        f"ratio_p50={quantile(without, 50) / quantile(with_index, 50):.1f} "
        f"ratio_p95={quantile(without, 95) / quantile(with_index, 95):.1f}"
    )


if __name__ == "__main__":
    main()
