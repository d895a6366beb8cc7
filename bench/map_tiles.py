"""Map tiles through the real server, cold and warm, beside the bare ST_AsMVT SQL.

    bash scripts/bench.sh map_tiles --cases 1000000

In the bench database (see common.py), with --cases cases clustered around
the grids of the demo county: a county office user pans over a hotspot from
zoom 8 to 16 with a 1280x800 viewport (hexagon bins below zoom 13, cases
from 13 on, as the hotspots page does). The tiles' bare SQL is run once
through psycopg2 to warm PostgreSQL's buffers; then, tile by tile, the tile
is fetched from gunicorn with the tile cache empty (cold) and its bare SQL
is run again, in turns first one then the other, so that both see the same
buffers; then every tile is fetched again (warm). cold_over_sql is the ratio
of the means (--rounds rounds, the cache emptied before each; the spread of
the rounds' ratios is printed). What the view adds around the query is
measured apart on tiles far from any case (their SQL takes well under a
millisecond): overhead_ms is the p50 of a cold request there less the p50 of
its bare SQL. Then the DBSCAN clusters of a township over 90 days are timed.
One line:

    bench=map_tiles cases=... tiles=... rounds=... cold_p50_ms=... cold_p95_ms=... warm_p50_ms=... \
warm_p95_ms=... sql_p50_ms=... sql_p95_ms=... cold_over_sql=... cold_over_sql_spread=... \
overhead_ms=... kb_mean=... kb_max=... clusters_ms=...
"""

import argparse
import http.client
import statistics
import time

from common import BENCH_DB, SOCKET_DIR, demo_county, fill_cases, free_port, start_server

VIEW_W, VIEW_H = 1280, 800


def viewport_tiles(lon, lat, zooms):
    """(layer, z, x, y) of the tiles a 1280x800 view centred on lon/lat needs, zoom by zoom."""
    from maps.tile_cache import tile_of

    tiles = []
    for z in zooms:
        cx, cy = tile_of(lon, lat, z)
        half_w, half_h = VIEW_W // 512 + 1, VIEW_H // 512 + 1
        layer = "bins" if z < 13 else "cases"
        tiles += [
            (layer, z, x, y)
            for x in range(cx - half_w, cx + half_w + 1)
            for y in range(cy - half_h, cy + half_h + 1)
        ]
    return tiles


def session_cookie(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "config.auth_backends.PermissionsBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


class Tiles:
    """Fetches tiles from the server on one kept-alive connection."""

    def __init__(self, port, cookie):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = cookie

    def fetch(self, layer, z, x, y) -> tuple[float, int]:
        started = time.perf_counter()
        self.connection.request(
            "GET",
            f"/tiles/{layer}/{z}/{x}/{y}.pbf",
            headers={"Cookie": self.cookie, "Host": "localhost"},
        )
        response = self.connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise SystemExit(f"tile {z}/{x}/{y}: HTTP {response.status}")
        return elapsed, len(body)

    def close(self):
        self.connection.close()


class BareSQL:
    """The same tile SQL, straight through psycopg2, with the county office's scope."""

    def __init__(self, county_id):
        import psycopg2

        self.counties = [int(county_id)]
        self.ids = f"SELECT id FROM disputes_case WHERE county_id = {int(county_id)}"
        from django.conf import settings

        # with the options of the application's own connections (no JIT)
        options = settings.DATABASES["default"]["OPTIONS"]["options"]
        self.connection = psycopg2.connect(
            host=str(SOCKET_DIR), user="postgres", dbname=BENCH_DB, options=options
        )

    def run(self, layer, z, x, y) -> float:
        from maps.spatial import BINS_TILE_SQL, CASES_TILE_SQL, hex_size

        sql = (CASES_TILE_SQL if layer == "cases" else BINS_TILE_SQL).format(ids=self.ids)
        params = {
            "counties": self.counties,
            "z": z,
            "x": x,
            "y": y,
            "size": hex_size(z),
            "today": time.strftime("%Y-%m-%d"),
        }
        started = time.perf_counter()
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchone()
        return (time.perf_counter() - started) * 1000

    def close(self):
        self.connection.close()


def interleaved(tiles, server: Tiles, bare: BareSQL):
    """Cold fetches and bare SQL of each tile, in turns first one, then the other."""
    cold, sql, sizes = [], [], []
    for i, tile in enumerate(tiles):
        if i % 2:
            sql.append(bare.run(*tile))
        elapsed, size = server.fetch(*tile)
        cold.append(elapsed)
        sizes.append(size)
        if not i % 2:
            sql.append(bare.run(*tile))
    return cold, sql, sizes


def q(values, n):
    return statistics.quantiles(values, n=100)[n - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    worker = demo_county()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.http import QueryDict

    from maps import selectors

    cases = fill_cases(args.cases, worker.pk)
    office = get_user_model().objects.get(username="county_office")
    leader = get_user_model().objects.get(username="township_leader")
    with connection.cursor() as cursor:  # the busiest grid: where a leader would look
        cursor.execute(
            "SELECT ST_X(ST_Centroid(ST_Collect(location))), ST_Y(ST_Centroid(ST_Collect(location))) "
            "FROM disputes_case WHERE grid_id = (SELECT grid_id FROM disputes_case GROUP BY grid_id "
            "ORDER BY count(*) DESC LIMIT 1)"
        )
        lon, lat = cursor.fetchone()
    tiles = viewport_tiles(lon, lat, range(8, 17))
    # Tiles at zoom 16 over open sea far east of the county: no case in them.
    empty = [("cases", 16, x, 20000) for x in range(60000, 60060)]
    cookie = session_cookie(office)
    bare = BareSQL(office.staff.county_id)
    for tile in tiles:  # warm PostgreSQL's buffers for both sides alike
        bare.run(*tile)
    port = free_port()
    server = start_server(port, 3)
    cold, sql, sizes, warm, ratios = [], [], [], [], []
    try:
        client = Tiles(port, cookie)
        cache.clear()
        for tile in tiles[:3]:  # start the workers' connections
            client.fetch(*tile)
        for _round in range(args.rounds):
            cache.clear()
            round_cold, round_sql, sizes = interleaved(tiles, client, bare)
            ratios.append(statistics.mean(round_cold) / statistics.mean(round_sql))
            cold += round_cold
            sql += round_sql
            warm += [client.fetch(*tile)[0] for tile in tiles]
        cache.clear()
        empty_cold, empty_sql, _sizes = interleaved(empty, client, bare)
        client.close()
    finally:
        server.terminate()
        server.wait()
        bare.close()
    started = time.perf_counter()
    selectors.clusters(user=leader, params=QueryDict(""), days=90)
    clusters_ms = (time.perf_counter() - started) * 1000
    print(
        f"bench=map_tiles cases={cases} tiles={len(tiles)} rounds={args.rounds} "
        f"cold_p50_ms={q(cold, 50):.1f} cold_p95_ms={q(cold, 95):.1f} "
        f"warm_p50_ms={q(warm, 50):.1f} warm_p95_ms={q(warm, 95):.1f} "
        f"sql_p50_ms={q(sql, 50):.1f} sql_p95_ms={q(sql, 95):.1f} "
        f"cold_over_sql={statistics.mean(cold) / statistics.mean(sql):.3f} "
        f"cold_over_sql_spread={min(ratios):.3f}-{max(ratios):.3f} "
        f"overhead_ms={q(empty_cold, 50) - q(empty_sql, 50):.2f} "
        f"kb_mean={statistics.mean(sizes) / 1024:.1f} kb_max={max(sizes) / 1024:.1f} "
        f"clusters_ms={clusters_ms:.0f}"
    )


if __name__ == "__main__":
    main()
