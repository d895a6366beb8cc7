"""Raw PostGIS SQL for cases. Points are SRID 4326; distances in metres on geography.

The functional GiST index on (location::geography) (migration 0002) serves
every ST_DWithin here.
"""

from django.db import connection

NEAR_SAME_CATEGORY_SQL = """
SELECT id FROM disputes_case
 WHERE ST_DWithin(location::geography, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography, %(metres)s)
   AND category_id = %(category)s
   AND reported_at >= %(since)s
   AND (%(statuses)s::text[] IS NULL OR status = ANY(%(statuses)s::text[]))
 ORDER BY reported_at DESC, id DESC
"""


def case_ids_near(*, lon, lat, metres, category_id, since, statuses=None) -> list[int]:
    """Cases of a category within `metres` of a point reported since `since`, newest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            NEAR_SAME_CATEGORY_SQL,
            {
                "lon": lon,
                "lat": lat,
                "metres": metres,
                "category": category_id,
                "since": since,
                "statuses": list(statuses) if statuses else None,
            },
        )
        return [row[0] for row in cursor.fetchall()]
