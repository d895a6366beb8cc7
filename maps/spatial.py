"""Raw PostGIS SQL for the maps: vector tiles, hexagon bins, clusters, boundaries.

Every query takes the ids of the cases to show as a SQL subquery made by the
ORM from the user's scope and filters (disputes.cases.selectors), so that what a
map shows is exactly what the user's lists show. The tiles also name the
counties of the user's area on their own table (`c.county_id = ANY(...)`), so
that a database partitioned or distributed by county searches only theirs
(docs/scale.md). Tiles are web-mercator (EPSG:3857) with 4096 units an edge.
"""

from django.db import connection

from disputes.cases.spatial import case_rows

WORLD_M = 40075016.68557849  # the width of the web-mercator world in metres

CASES_TILE_SQL = """
WITH bounds AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS env)
SELECT ST_AsMVT(t, 'cases', 4096, 'geom', 'id') FROM (
  SELECT ST_AsMVTGeom(ST_Transform(c.location, 3857), bounds.env, 4096, 64, true) AS geom,
         c.id, c.id AS case_id, c.status, c.level, cat.code AS category,
         cat.name AS category_name,
         (c.due_date < %(today)s AND c.status IN ('reported','accepted','in_handling','in_review'))
           AS overdue
    FROM disputes_case c JOIN disputes_category cat ON cat.id = c.category_id, bounds
   WHERE c.location && ST_Transform(bounds.env, 4326)
     AND c.county_id = ANY(%(counties)s)
     AND c.id IN ({ids})
) t
"""

# Hexagons of a size that follows the zoom (twelve across a tile), on the one
# world-wide grid of ST_Hexagon so that a bin is the same in every tile;
# points come from a margin around the tile so that bins on its edge count
# fully. Points are first counted in small squares (a tenth of a hexagon),
# and each square is put in the hexagon holding its corner, found among the
# nine around an estimate: a million points become a few thousand squares.
# A point within a twentieth of a hexagon of its edge may count in the
# neighbouring one, which a density map does not show.
BINS_TILE_SQL = """
WITH bounds AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS env,
                       ST_Expand(ST_TileEnvelope(%(z)s, %(x)s, %(y)s), %(size)s * 2) AS wide),
cells AS (SELECT ST_SnapToGrid(ST_Transform(c.location, 3857), %(size)s / 10) AS g, count(*) AS n
            FROM disputes_case c, bounds
           WHERE c.location && ST_Transform(bounds.wide, 4326)
             AND c.county_id = ANY(%(counties)s) AND c.id IN ({ids})
           GROUP BY 1),
bins AS (SELECT h.geom, sum(cells.n)::int AS n
           FROM cells CROSS JOIN LATERAL (
                SELECT ST_SetSRID(ST_Hexagon(%(size)s, i, j), 3857) AS geom
                  FROM generate_series(floor(ST_X(cells.g) / (1.5 * %(size)s))::int - 1,
                                       floor(ST_X(cells.g) / (1.5 * %(size)s))::int + 1) i,
                       generate_series(floor(ST_Y(cells.g) / (sqrt(3) * %(size)s))::int - 1,
                                       floor(ST_Y(cells.g) / (sqrt(3) * %(size)s))::int + 1) j
                 WHERE ST_Intersects(ST_SetSRID(ST_Hexagon(%(size)s, i, j), 3857), cells.g)
                 LIMIT 1) h
          GROUP BY h.geom)
SELECT ST_AsMVT(t, 'bins', 4096, 'geom') FROM (
  SELECT ST_AsMVTGeom(bins.geom, bounds.env, 4096, 64, true) AS geom, bins.n
    FROM bins, bounds
   WHERE bins.geom && bounds.env
) t
"""

# DBSCAN over the cases, in metres on the ground: web-mercator stretches
# distances by 1/cos(latitude), so eps is scaled by it.
CLUSTERS_SQL = """
WITH pts AS (SELECT c.id, c.category_id, ST_Transform(c.location, 3857) AS g
               FROM disputes_case c WHERE c.id IN ({ids})),
lat AS (SELECT coalesce(avg(ST_Y(ST_Transform(g, 4326))), 0) AS deg FROM pts),
labelled AS (SELECT pts.*, ST_ClusterDBSCAN(g, eps := %(eps)s / cos(radians(lat.deg)),
                                            minpoints := %(min_points)s) OVER () AS cluster
               FROM pts, lat)
SELECT cluster, count(*) AS size,
       (SELECT code FROM disputes_category WHERE id = mode() WITHIN GROUP (ORDER BY category_id)),
       (SELECT name FROM disputes_category WHERE id = mode() WITHIN GROUP (ORDER BY category_id)),
       ST_AsGeoJSON(ST_Transform(ST_Buffer(ST_ConvexHull(ST_Collect(g)), 30 / cos(radians(min(lat.deg)))), 4326), 6),
       ST_X(ST_Transform(ST_Centroid(ST_Collect(g)), 4326)), ST_Y(ST_Transform(ST_Centroid(ST_Collect(g)), 4326))
  FROM labelled, lat
 WHERE cluster IS NOT NULL
 GROUP BY cluster
 ORDER BY size DESC, cluster
 LIMIT %(limit)s
"""

BOUNDARIES_SQL = """
SELECT u.id, u.code, u.name,
       ST_AsGeoJSON(ST_SimplifyPreserveTopology(u.boundary, %(tolerance)s), 6)
  FROM {table} u
 WHERE u.boundary IS NOT NULL AND u.id = ANY(%(ids)s)
 ORDER BY u.code
"""


def hex_size(z: int) -> float:
    """Hexagon size (web-mercator metres) at zoom z: about twelve across a tile."""
    return WORLD_M / 2**z / 12


def cases_tile(ids_query, counties: list[int], z, x, y, today) -> bytes:
    """The cases tile; `counties`: the ids of the counties the ids query may hold."""
    params = {"counties": counties, "z": z, "x": x, "y": y, "today": today}
    return bytes(case_rows(CASES_TILE_SQL, ids_query, params)[0][0])


def bins_tile(ids_query, counties: list[int], z, x, y) -> bytes:
    """The bins tile; `counties`: the ids of the counties the ids query may hold."""
    params = {"counties": counties, "z": z, "x": x, "y": y, "size": hex_size(z)}
    return bytes(case_rows(BINS_TILE_SQL, ids_query, params)[0][0])


def clusters(ids_query, eps_m: float, min_points: int, limit: int = 50):
    return case_rows(
        CLUSTERS_SQL, ids_query, {"eps": eps_m, "min_points": min_points, "limit": limit}
    )


def boundaries(table: str, ids, tolerance: float):
    with connection.cursor() as cursor:
        cursor.execute(
            BOUNDARIES_SQL.format(table=table), {"ids": list(ids), "tolerance": tolerance}
        )
        return cursor.fetchall()
