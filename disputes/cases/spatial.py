"""Raw PostGIS SQL for cases. Points are SRID 4326; distances in metres on geography.

The functional GiST index on (location::geography) (migration 0002) serves
every ST_DWithin here. `case_rows` runs SQL over a set of cases chosen by the
ORM (the user's scope and filters), for the maps and the hotspots.
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


# The latest earlier case within the window that is near with the same
# category, or shares a party (by keyed hash); each branch stops at its best row.
EARLIER_CASE_SQL = """
SELECT id FROM (
  (SELECT c.id, c.reported_at FROM disputes_case c
    WHERE ST_DWithin(c.location::geography,
                     ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography, %(metres)s)
      AND c.category_id = %(category)s AND c.reported_at >= %(since)s AND c.id < %(case)s
    ORDER BY c.reported_at DESC, c.id DESC LIMIT 1)
  UNION ALL
  (SELECT c.id, c.reported_at FROM disputes_party p JOIN disputes_case c ON c.id = p.case_id
    WHERE (p.id_number_hash = ANY(%(id_hashes)s) OR p.name_phone_hash = ANY(%(np_hashes)s))
      AND c.reported_at >= %(since)s AND c.id < %(case)s
    ORDER BY c.reported_at DESC, c.id DESC LIMIT 1)
) earlier
ORDER BY reported_at DESC, id DESC LIMIT 1
"""


def earlier_case_id(*, case_id, lon, lat, metres, category_id, since, id_hashes, np_hashes):
    """The case a new case repeats, or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            EARLIER_CASE_SQL,
            {
                "case": case_id,
                "lon": lon,
                "lat": lat,
                "metres": metres,
                "category": category_id,
                "since": since,
                "id_hashes": list(id_hashes),
                "np_hashes": list(np_hashes),
            },
        )
        row = cursor.fetchone()
        return row[0] if row else None


def case_rows(sql: str, ids_query: tuple[str, tuple], params: dict):
    """Run `sql` with {ids} replaced by a case-id subquery (SQL and params from the ORM)."""
    with connection.cursor() as cursor:
        ids_sql = cursor.mogrify(*ids_query).decode()
        cursor.execute(sql.format(ids=ids_sql.replace("%", "%%")), params)
        return cursor.fetchall()
