"""Raw PostGIS SQL for the territory's imports (areas and distances on geography, in m)."""

from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class Outside:
    area_m2: float  # the unit's area
    outside_m2: float  # its area outside the parent
    distance_m: float  # from the parent's boundary; 0 when they touch or overlap
    azimuth: float | None  # degrees clockwise from north, parent's centre → the part outside


def outside_parent(*, boundary, parent_table: str, parent_id: int) -> Outside:
    """How much of `boundary` (SRID 4326) lies outside the stored boundary of a parent row.

    `parent_table` is a model's db_table, never user input.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH g AS (
                SELECT c, p.boundary AS p, ST_Difference(c, p.boundary) AS d
                  FROM (SELECT ST_GeomFromEWKB(%s) AS c) child, {parent_table} p
                 WHERE p.id = %s
            )
            SELECT ST_Area(c::geography),
                   ST_Area(d::geography),
                   ST_Distance(c::geography, p::geography),
                   CASE WHEN ST_IsEmpty(d) THEN NULL ELSE degrees(ST_Azimuth(
                       ST_Centroid(p)::geography, ST_PointOnSurface(d)::geography)) END
              FROM g
            """,
            [memoryview(boundary.ewkb), parent_id],
        )
        area, outside, distance, azimuth = cursor.fetchone()
    return Outside(area, outside, distance, azimuth)
