"""The register's spatial SQL, in one place: cases inside or near a project's area.

Distances are metres on the spheroid (geography); the geometry index on the
cases' points narrows the search first with a box a little wider than the
distance in degrees.
"""

from django.db import connection

# Degrees of latitude in a metre, with room for the longitude's shrinking up to 60°.
DEGREES_PER_METRE_BOUND = 2 / 111_320

NEAR_SQL = """
SELECT c.id, ST_Covers(p.area, c.location) AS inside
  FROM disputes_case c JOIN disputes_majorproject p ON p.id = %(project)s
 WHERE c.county_id = p.county_id
   AND c.location && ST_Expand(p.area, %(degrees)s)
   AND ST_DWithin(c.location::geography, p.area::geography, %(metres)s)
   {since}
 ORDER BY c.id DESC
 LIMIT %(limit)s
"""


def cases_near(
    project_id: int, metres: float, *, since=None, limit: int | None = None
) -> list[tuple[int, bool]]:
    """[(case id, inside the area)] of the cases within `metres` of the project's area, newest first.

    At most `limit` rows come back from the database (all of them when None).
    """
    sql = NEAR_SQL.format(since="AND c.reported_at >= %(since)s" if since is not None else "")
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "project": project_id,
                "degrees": metres * DEGREES_PER_METRE_BOUND,
                "metres": metres,
                "since": since,
                "limit": limit,
            },
        )
        return [(row[0], row[1]) for row in cursor.fetchall()]


DAYS_SQL = """
SELECT (c.reported_at AT TIME ZONE %(zone)s)::date AS day, count(*)
  FROM disputes_case c JOIN disputes_majorproject p ON p.id = %(project)s
 WHERE c.county_id = p.county_id
   AND c.reported_at >= %(start)s AND c.reported_at < %(stop)s
   AND c.location && ST_Expand(p.area, %(degrees)s)
   AND ST_DWithin(c.location::geography, p.area::geography, %(metres)s)
 GROUP BY 1
"""


def cases_per_day_near(project_id: int, metres: float, start, stop, zone: str) -> dict:
    """{local date: cases reported that day within `metres` of the project's area}."""
    with connection.cursor() as cursor:
        cursor.execute(
            DAYS_SQL,
            {
                "project": project_id,
                "metres": metres,
                "degrees": metres * DEGREES_PER_METRE_BOUND,
                "start": start,
                "stop": stop,
                "zone": zone,
            },
        )
        return dict(cursor.fetchall())
