"""Raw PostGIS SQL for teams. Points are SRID 4326; distances in metres on geography."""

from django.db import connection

# A team's coverage: its own polygon, else a circle around its base, else its
# home village's or township's boundary.
TEAM_COVERAGE_SQL = """
UPDATE disputes_team t SET coverage = ST_Multi(COALESCE(
    t.service_polygon,
    CASE WHEN t.service_radius_m IS NOT NULL
         THEN ST_Buffer(t.base::geography, t.service_radius_m)::geometry END,
    (SELECT boundary FROM villages_village WHERE id = t.village_id),
    (SELECT boundary FROM villages_township WHERE id = t.township_id)))
 WHERE t.id = ANY(%(ids)s)
"""


def team_coverage_refresh(team_ids) -> None:
    with connection.cursor() as cursor:
        cursor.execute(TEAM_COVERAGE_SQL, {"ids": list(team_ids)})


# Teams that could take a case, nearest first (distance on the geography
# index of the base; on the sphere, within 0.5% of the spheroid and several
# times cheaper to test), then least loaded: active, in the case's county, covering its
# point or based within max_m of it, taking its category, with room, and not
# one that already declined it or let it lapse.
TEAM_CANDIDATES_SQL = """
WITH c AS (SELECT id, location, category_id, county_id FROM disputes_case WHERE id = %(case)s)
SELECT t.id, ST_Distance(t.base::geography, c.location::geography) AS distance_m, t.load
  FROM disputes_team t, c
 WHERE t.active
   AND t.county_id = c.county_id
   AND t.load < t.capacity
   AND (ST_DWithin(t.base::geography, c.location::geography, %(max_m)s, false)
        OR ST_Covers(t.coverage, c.location))
   AND (NOT EXISTS (SELECT 1 FROM disputes_team_categories tc WHERE tc.team_id = t.id)
        OR EXISTS (SELECT 1 FROM disputes_team_categories tc
                    WHERE tc.team_id = t.id AND tc.category_id = c.category_id))
   AND NOT EXISTS (SELECT 1 FROM disputes_assignment a
                    WHERE a.case_id = c.id AND a.team_id = t.id
                      AND a.status IN ('declined', 'expired'))
 ORDER BY t.base::geography <-> c.location::geography, t.load, t.id
 LIMIT %(limit)s
"""


def team_candidate_rows(*, case_id, max_m, limit):
    """(team id, distance in metres, load) of the teams that could take a case, best first."""
    with connection.cursor() as cursor:
        cursor.execute(TEAM_CANDIDATES_SQL, {"case": case_id, "max_m": max_m, "limit": limit})
        return cursor.fetchall()


# Which pillars cover each village: a team covers a village when its coverage
# holds at least 95% of the village's area (generated and imported polygons
# disagree by float noise along shared edges).
VILLAGE_COVERAGE_SQL = """
SELECT v.id, v.code, v.name, v.township_id,
       coalesce(array_agg(DISTINCT t.pillar) FILTER (WHERE t.id IS NOT NULL), '{}'),
       coalesce(bool_or(t.kind = 'legal_villager'), false),
       coalesce(array_agg(DISTINCT t.id) FILTER (WHERE t.id IS NOT NULL), '{}'),
       ST_X(ST_PointOnSurface(v.boundary)), ST_Y(ST_PointOnSurface(v.boundary))
  FROM villages_village v
  LEFT JOIN disputes_team t
    ON t.active AND t.county_id = v.county_id AND t.coverage && v.boundary
   AND (ST_Covers(t.coverage, v.boundary)
        OR ST_Area(ST_Intersection(t.coverage, v.boundary)) >= 0.95 * ST_Area(v.boundary))
 WHERE v.township_id = ANY(%(townships)s)
 GROUP BY v.id
 ORDER BY v.code
"""

TOWNSHIP_ADVISER_SQL = """
SELECT tw.id, EXISTS (
  SELECT 1 FROM disputes_team t
   WHERE t.active AND t.kind = 'legal_adviser'
     AND (t.township_id = tw.id AND t.village_id IS NULL
          OR ST_Covers(t.coverage, tw.boundary)
          OR ST_Area(ST_Intersection(t.coverage, tw.boundary)) >= 0.95 * ST_Area(tw.boundary)))
  FROM villages_township tw
 WHERE tw.id = ANY(%(townships)s)
"""


def village_coverage_rows(township_ids):
    with connection.cursor() as cursor:
        cursor.execute(VILLAGE_COVERAGE_SQL, {"townships": list(township_ids)})
        return cursor.fetchall()


def township_adviser_rows(township_ids):
    with connection.cursor() as cursor:
        cursor.execute(TOWNSHIP_ADVISER_SQL, {"townships": list(township_ids)})
        return dict(cursor.fetchall())
