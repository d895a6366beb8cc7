"""The case table hashed by county into partitions, beside the same rows in one table.

    bash scripts/bench.sh partitions --cases 100000 --counties 8 --partitions 8 --samples 200

In the bench database (see common.py): fills the demo county up to --cases,
then builds once, in a schema `part` of the same database, two copies of the
case table holding the demo county's cases and --counties - 1 copies of them
under other county ids (each copy moved one degree east, as real counties do
not overlap): `part.case_flat`, one table with every index of disputes_case,
and `part.case_hash`, the same columns and indexes `PARTITION BY HASH
(county_id)`, whose primary key becomes (county_id, id) as partitioning (and
Citus) requires. Then times, alternating the two tables sample by sample:

- intake: one case inserted in its own transaction, as the service's INSERT;
- list: a county's newest 50 open cases (the desk's first page);
- tile: the bins tile (zoom 12) of maps/spatial.py over the county's busiest
  grid, with the county only in the ids subquery (`id IN (SELECT id ...
  WHERE county_id = ...)`, as the maps selector built it before), and again on
  the partitions with the county also on the tile's own table
  (`c.county_id = ANY(...)`, as it builds it now); cases_tile: the same for the
  cases tile (zoom 15).

EXPLAIN counts the partitions each scoped query reads. One line:

    bench=partitions cases=... counties=... partitions=... samples=... intake_p50_ms=... \
intake_part_p50_ms=... list_p50_ms=... list_part_p50_ms=... tile_p50_ms=... tile_part_p50_ms=... \
tile_county_part_p50_ms=... cases_tile_p50_ms=... cases_tile_part_p50_ms=... \
cases_tile_county_part_p50_ms=... scoped_partitions_scanned=... tile_partitions_scanned=... \
tile_county_partitions_scanned=...
"""

import argparse
import json
import random
import re
import statistics
import time

from common import BENCH_DB, SOCKET_DIR, demo_county, fill_cases

DEMO_COUNTY_SHIFT = 1000  # the copies' county ids: 1001, 1002, ...
COLUMNS_SQL = """
SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
 WHERE attrelid = 'public.disputes_case'::regclass AND attnum > 0 AND NOT attisdropped
"""
OPEN = "('reported','accepted','in_handling','in_review')"
LIST_SQL = f"""
SELECT id, status, level, reported_at, due_date, description FROM {{table}}
 WHERE county_id = %(county)s AND status IN {OPEN}
 ORDER BY reported_at DESC, id DESC LIMIT 50
"""
# One report as the intake service writes it (disputes/cases/services/intake.py).
INTAKE_SQL = """
INSERT INTO {table} (uuid, request_hash, channel, reporter_id, occurred_at, reported_at,
    location, accuracy_m, address, grid_id, village_id, township_id, county_id, category_id,
    people_involved, description, urgency, status, level, outcome, satisfaction, due_date,
    deadline_kind, deadline_basis, extended_days, reviews, hotline_ticket, query_code_hash,
    is_key, marked_backlog)
SELECT gen_random_uuid(), '', 'app', reporter_id, now(), now(), location, 10, '', grid_id,
       village_id, township_id, %(county)s, category_id, 1, 'bench intake', 'normal',
       'reported', 'grid', '', '', current_date + 30, 'handling', '{{}}', 0, 0, '', '',
       false, false
  FROM {table} WHERE county_id = %(county)s AND id = %(like)s
RETURNING id
"""


def connect():
    import psycopg2

    connection = psycopg2.connect(host=str(SOCKET_DIR), user="postgres", dbname=BENCH_DB)
    connection.autocommit = True
    return connection


def index_statements(cursor, table: str) -> list[str]:
    """disputes_case's indexes, for `table`: the primary key is (county_id, id) instead."""
    cursor.execute(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' "
        "AND tablename = 'disputes_case' AND indexname <> 'disputes_case_pkey'"
    )
    statements = []
    for (definition,) in cursor.fetchall():
        statement = re.sub(r"INDEX \S+ ON public\.disputes_case", f"INDEX ON {table}", definition)
        if statement.startswith("CREATE UNIQUE") and "county_id" not in statement:
            raise SystemExit(
                f"a unique index without the county cannot be partitioned: {definition}"
            )
        statements.append(statement)
    return statements


def build(cursor, counties: int, partitions: int):
    cursor.execute(COLUMNS_SQL)
    columns = cursor.fetchone()[0]
    cursor.execute("DROP SCHEMA IF EXISTS part CASCADE; CREATE SCHEMA part")
    cursor.execute(
        "CREATE TABLE part.case_flat (LIKE public.disputes_case INCLUDING DEFAULTS "
        "INCLUDING IDENTITY INCLUDING GENERATED)"
    )
    cursor.execute(
        "CREATE TABLE part.case_hash (LIKE public.disputes_case INCLUDING DEFAULTS "
        "INCLUDING GENERATED) PARTITION BY HASH (county_id)"
    )
    # PostgreSQL 15 gives a partitioned table no identity: a sequence of its own instead.
    cursor.execute("CREATE SEQUENCE part.case_hash_id_seq")
    cursor.execute(
        "ALTER TABLE part.case_hash ALTER COLUMN id SET DEFAULT nextval('part.case_hash_id_seq')"
    )
    for n in range(partitions):
        cursor.execute(
            f"CREATE TABLE part.case_hash_p{n} PARTITION OF part.case_hash "
            f"FOR VALUES WITH (MODULUS {partitions}, REMAINDER {n})"
        )
    select_columns = columns.replace("location", "ST_Translate(location, %(k)s, 0)").replace(
        "county_id", "CASE WHEN %(k)s = 0 THEN county_id ELSE %(k)s + %(shift)s END"
    )
    select_columns = re.sub(r"^id,", "id + %(k)s * 100000000,", select_columns)
    for table in ("part.case_flat", "part.case_hash"):
        for k in range(counties):
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {select_columns} "
                "FROM public.disputes_case WHERE county_id = %(demo)s",
                {"k": k, "shift": DEMO_COUNTY_SHIFT, "demo": demo_county_id(cursor)},
            )
    cursor.execute("SELECT max(id) FROM part.case_flat")
    top = cursor.fetchone()[0] + 1
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence('part.case_flat', 'id'), %s), "
        "setval('part.case_hash_id_seq', %s)",
        [top, top],
    )
    cursor.execute("ALTER TABLE part.case_flat ADD PRIMARY KEY (id)")
    cursor.execute("ALTER TABLE part.case_hash ADD PRIMARY KEY (county_id, id)")
    for table in ("part.case_flat", "part.case_hash"):
        for statement in index_statements(cursor, table):
            cursor.execute(statement)
        cursor.execute(f"VACUUM ANALYZE {table}")


def demo_county_id(cursor) -> int:
    cursor.execute("SELECT min(county_id) FROM public.disputes_case")
    return cursor.fetchone()[0]


def built(cursor, counties: int, partitions: int) -> bool:
    cursor.execute(
        "SELECT count(*) FROM pg_inherits WHERE inhparent = to_regclass('part.case_hash')"
    )
    if cursor.fetchone()[0] != partitions:
        return False
    cursor.execute("SELECT count(DISTINCT county_id) FROM part.case_hash")
    return cursor.fetchone()[0] == counties


def partitions_read(cursor, sql: str, params) -> int:
    """How many partitions of part.case_hash the plan of `sql` reads."""
    cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
    plan = cursor.fetchone()[0]
    names = set(re.findall(r'"Relation Name": "(case_hash_p\d+)"', json.dumps(plan)))
    return len(names)


def tile_statements(table: str, county: int, grid_point, with_county: bool):
    """The bins tile at zoom 12 and the cases tile at zoom 15 over `grid_point`."""
    from maps.spatial import BINS_TILE_SQL, CASES_TILE_SQL, hex_size
    from maps.tile_cache import tile_of

    ids = f"SELECT id FROM {table} WHERE county_id = {int(county)}"
    statements = []
    for sql, z in ((BINS_TILE_SQL, 12), (CASES_TILE_SQL, 15)):
        sql = sql.replace("FROM disputes_case c", f"FROM {table} c")
        if not with_county:
            sql = sql.replace("AND c.county_id = ANY(%(counties)s)", "")
        x, y = tile_of(*grid_point, z)
        params = {
            "counties": [int(county)],
            "z": z,
            "x": x,
            "y": y,
            "size": hex_size(z),
            "today": time.strftime("%Y-%m-%d"),
        }
        statements.append((sql.format(ids=ids), params))
    return statements


def timed(cursor, sql, params) -> float:
    started = time.perf_counter()
    cursor.execute(sql, params)
    cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def p50(values) -> float:
    return statistics.median(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases of the demo county")
    parser.add_argument("--counties", type=int, default=8)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    worker = demo_county()
    fill_cases(args.cases, worker.pk)
    connection = connect()
    cursor = connection.cursor()
    if args.rebuild or not built(cursor, args.counties, args.partitions):
        build(cursor, args.counties, args.partitions)
    demo = demo_county_id(cursor)
    counties = [demo] + [DEMO_COUNTY_SHIFT + k for k in range(1, args.counties)]
    cursor.execute("SELECT count(*) FROM part.case_hash")
    cases = cursor.fetchone()[0]
    # The busiest grid of the demo county, and its point in each copy.
    cursor.execute(
        "SELECT grid_id, ST_X(ST_Centroid(ST_Collect(location))), ST_Y(ST_Centroid(ST_Collect(location))) "
        "FROM public.disputes_case GROUP BY grid_id ORDER BY count(*) DESC LIMIT 1"
    )
    _grid, lon, lat = cursor.fetchone()
    cursor.execute("SELECT min(id) FROM public.disputes_case")
    first_id = cursor.fetchone()[0]

    def like_id(county):  # a case of `county` to copy the place of, as a report's point
        k = 0 if county == demo else county - DEMO_COUNTY_SHIFT
        return first_id + k * 100_000_000

    def point_of(county):
        k = 0 if county == demo else county - DEMO_COUNTY_SHIFT
        return lon + k, lat

    rng = random.Random(17)
    times = {key: [] for key in ("intake", "intake_part", "list", "list_part")}
    for layer in ("tile", "cases_tile"):
        times |= {f"{layer}{variant}": [] for variant in ("", "_part", "_county_part")}
    for _ in range(args.samples):
        county = rng.choice(counties)
        params = {"county": county, "like": like_id(county)}
        runs = [
            ("intake", INTAKE_SQL.format(table="part.case_flat"), params),
            ("intake_part", INTAKE_SQL.format(table="part.case_hash"), params),
            ("list", LIST_SQL.format(table="part.case_flat"), params),
            ("list_part", LIST_SQL.format(table="part.case_hash"), params),
        ]
        for key, table, with_county in (
            ("tile", "part.case_flat", False),
            ("tile_part", "part.case_hash", False),
            ("tile_county_part", "part.case_hash", True),
        ):
            bins, cases_tile = tile_statements(table, county, point_of(county), with_county)
            runs += [(key, *bins), (key.replace("tile", "cases_tile"), *cases_tile)]
        rng.shuffle(runs)  # no side always runs first, with the cache the other warmed
        for key, sql, run_params in runs:
            times[key].append(timed(cursor, sql, run_params))

    county = counties[-1]
    list_read = partitions_read(cursor, LIST_SQL.format(table="part.case_hash"), {"county": county})
    tile_read = max(
        partitions_read(cursor, sql, params)
        for sql, params in tile_statements("part.case_hash", county, point_of(county), False)
    )
    tile_county_read = max(
        partitions_read(cursor, sql, params)
        for sql, params in tile_statements("part.case_hash", county, point_of(county), True)
    )
    connection.close()
    print(
        f"bench=partitions cases={cases} counties={args.counties} partitions={args.partitions} "
        f"samples={args.samples} "
        + " ".join(f"{key}_p50_ms={p50(values):.2f}" for key, values in times.items())
        + f" scoped_partitions_scanned={list_read} tile_partitions_scanned={tile_read}"
        f" tile_county_partitions_scanned={tile_county_read}"
    )


if __name__ == "__main__":
    main()
