"""Raw PostGIS SQL for the grid app. Geometries are SRID 4326; distances in metres."""

from django.db import connection

# Each branch finds the lowest unit at one level that contains the point or
# lies within the tolerance of it (geography distance, after a bounding-box
# prefilter that uses the GiST index). The first level that answers wins, so
# a point lands in a grid when there is one, else in its village, and so on.
# The LIMIT 1 over the UNION ALL stops PostgreSQL's Append after the first
# branch that yields a row: a point inside a grid costs one planar
# ST_Intersects, and geodesic distances to grids (or to county-sized
# polygons) are only measured for points that no grid holds. The last two
# columns answer, in the same statement, what a report asks next: whether any
# worker covers the grid, and the grids the given user (%(worker)s, may be NULL) works in.
LOCATE_SQL = """
WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS geom),
hit AS (
  (SELECT 1 AS level, g.id AS grid_id, g.village_id, g.township_id, g.county_id, 0::float8 AS distance_m
     FROM grid_grid g, pt
    WHERE ST_Intersects(g.boundary, pt.geom)
    ORDER BY g.code LIMIT 1)
  UNION ALL
  (SELECT 1 AS level, g.id AS grid_id, g.village_id, g.township_id, g.county_id,
          CASE WHEN ST_Intersects(g.boundary, pt.geom) THEN 0
               ELSE ST_Distance(g.boundary::geography, pt.geom::geography) END AS distance_m
     FROM grid_grid g, pt
    WHERE g.boundary && ST_Expand(pt.geom, %(deg)s)
      AND ST_DWithin(g.boundary::geography, pt.geom::geography, %(tol)s)
    ORDER BY distance_m, g.code LIMIT 1)
  UNION ALL
  (SELECT 2, NULL, v.id, v.township_id, v.county_id,
          CASE WHEN ST_Intersects(v.boundary, pt.geom) THEN 0
               ELSE ST_Distance(v.boundary::geography, pt.geom::geography) END AS distance_m
     FROM villages_village v, pt
    WHERE v.boundary && ST_Expand(pt.geom, %(deg)s)
      AND ST_DWithin(v.boundary::geography, pt.geom::geography, %(tol)s)
    ORDER BY distance_m, v.code LIMIT 1)
  UNION ALL
  (SELECT 3, NULL, NULL, t.id, t.county_id,
          CASE WHEN ST_Intersects(t.boundary, pt.geom) THEN 0
               ELSE ST_Distance(t.boundary::geography, pt.geom::geography) END AS distance_m
     FROM villages_township t, pt
    WHERE t.boundary && ST_Expand(pt.geom, %(deg)s)
      AND ST_DWithin(t.boundary::geography, pt.geom::geography, %(tol)s)
    ORDER BY distance_m, t.code LIMIT 1)
  UNION ALL
  (SELECT 4, NULL, NULL, NULL, c.id,
          CASE WHEN ST_Intersects(c.boundary, pt.geom) THEN 0
               ELSE ST_Distance(c.boundary::geography, pt.geom::geography) END AS distance_m
     FROM villages_county c, pt
    WHERE c.boundary && ST_Expand(pt.geom, %(deg)s)
      AND ST_DWithin(c.boundary::geography, pt.geom::geography, %(tol)s)
    ORDER BY distance_m, c.code LIMIT 1)
  LIMIT 1
)
SELECT hit.level, hit.distance_m,
       g.id, g.code, g.name, v.id, v.code, v.name,
       t.id, t.code, t.name, c.id, c.code, c.name,
       EXISTS (SELECT 1 FROM grid_grid_workers w WHERE w.grid_id = hit.grid_id) AS staffed,
       ARRAY(SELECT w.grid_id FROM grid_grid_workers w
              WHERE w.user_id = %(worker)s ORDER BY w.grid_id) AS worker_grids
  FROM hit
  LEFT JOIN grid_grid g ON g.id = hit.grid_id
  LEFT JOIN villages_village v ON v.id = hit.village_id
  LEFT JOIN villages_township t ON t.id = hit.township_id
  JOIN villages_county c ON c.id = hit.county_id
"""

NEAREST_COUNTY_SQL = """
WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS geom)
SELECT c.name, ST_Distance(c.boundary::geography, pt.geom::geography)
  FROM villages_county c, pt
 WHERE c.boundary IS NOT NULL
 ORDER BY c.boundary <-> pt.geom
 LIMIT 1
"""


def locate_row(
    lon: float, lat: float, tolerance_m: float, tolerance_deg: float, worker_id: int | None = None
):
    with connection.cursor() as cursor:
        cursor.execute(
            LOCATE_SQL,
            {
                "lon": lon,
                "lat": lat,
                "tol": tolerance_m,
                "deg": tolerance_deg,
                "worker": worker_id,
            },
        )
        return cursor.fetchone()


def nearest_county_row(lon: float, lat: float):
    with connection.cursor() as cursor:
        cursor.execute(NEAREST_COUNTY_SQL, {"lon": lon, "lat": lat})
        return cursor.fetchone()
