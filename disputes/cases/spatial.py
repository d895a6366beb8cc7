"""Raw PostGIS SQL for cases. Points are SRID 4326; distances in metres on geography.

The functional GiST index on (location::geography) (migration 0002) serves
every ST_DWithin here. `case_rows` runs SQL over a set of cases chosen by the
ORM (the user's scope and filters), for the maps and the hotspots.
"""

from django.db import connection

NEAR_SAME_CATEGORY_SQL = """
SELECT id FROM disputes_case
 WHERE ST_DWithin(location::geography, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography, %(metres)s)
   {county}
   AND category_id = %(category)s
   AND reported_at >= %(since)s
   AND (%(statuses)s::text[] IS NULL OR status = ANY(%(statuses)s::text[]))
 ORDER BY reported_at DESC, id DESC
"""


def case_ids_near(
    *, lon, lat, metres, category_id, since, statuses=None, county_id=None
) -> list[int]:
    """Cases of a category within `metres` of a point reported since `since`, newest first;
    only the county's when `county_id` is given (the database then asks one county's rows)."""
    county = "AND county_id = %(county)s" if county_id is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(
            NEAR_SAME_CATEGORY_SQL.format(county=county),
            {
                "county": county_id,
                "lon": lon,
                "lat": lat,
                "metres": metres,
                "category": category_id,
                "since": since,
                "statuses": list(statuses) if statuses else None,
            },
        )
        return [row[0] for row in cursor.fetchall()]


# The repeat check: earlier cases of the county within the window that are near with
# the same category (when the new case's point is known, and only cases whose point
# was), or that share a party (by keyed hash). A county's case never repeats another
# county's, which its users could not open. The intake keeps the latest one; the
# desk's preview lists them. Both run these two branches.
REPEAT_NEAR_SQL = """
SELECT c.id, c.reported_at, 'near' AS reason FROM disputes_case c
 WHERE %(near)s AND c.county_id = %(county)s AND c.point_known
   AND ST_DWithin(c.location::geography,
                  ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography, %(metres)s)
   AND c.category_id = %(category)s AND c.reported_at >= %(since)s
   AND c.id < COALESCE(%(case)s, 9223372036854775807)
 ORDER BY c.reported_at DESC, c.id DESC LIMIT %(limit)s
"""
REPEAT_PARTY_SQL = """
SELECT c.id, c.reported_at,
       CASE WHEN p.id_number_hash = ANY(%(id_hashes)s) THEN 'id_number' ELSE 'name_phone' END
  FROM disputes_party p JOIN disputes_case c ON c.id = p.case_id AND c.county_id = p.county_id
 WHERE p.county_id = %(county)s
   AND (p.id_number_hash = ANY(%(id_hashes)s) OR p.name_phone_hash = ANY(%(np_hashes)s))
   AND c.reported_at >= %(since)s AND c.id < COALESCE(%(case)s, 9223372036854775807)
 ORDER BY c.reported_at DESC, c.id DESC LIMIT %(limit)s
"""
# Each branch stops at its best rows.
REPEAT_SQL = f"""
SELECT id, reason FROM (({REPEAT_NEAR_SQL}) UNION ALL ({REPEAT_PARTY_SQL})) earlier
 ORDER BY reported_at DESC, id DESC
"""


def repeat_candidates(
    *, county_id, case_id, lon, lat, metres, category_id, since, id_hashes, np_hashes, limit
) -> list[tuple[int, str]]:
    """Earlier cases a case would repeat, newest first: [(id, reason)], reason one of
    "near" (same category within `metres`), "id_number" or "name_phone" (a shared party).

    `lon`, `lat` None: the point is not known, only parties are compared. `case_id`
    None: a case not saved yet (every case counts as earlier). A case may come twice.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            REPEAT_SQL,
            {
                "county": county_id,
                "case": case_id,
                "near": lon is not None and lat is not None and category_id is not None,
                "lon": lon if lon is not None else 0,
                "lat": lat if lat is not None else 0,
                "metres": metres,
                "category": category_id,
                "since": since,
                "id_hashes": list(id_hashes),
                "np_hashes": list(np_hashes),
                "limit": limit,
            },
        )
        return [(row[0], row[1]) for row in cursor.fetchall()]


def case_rows(sql: str, ids_query: tuple[str, tuple], params: dict):
    """Run `sql` with {ids} replaced by a case-id subquery (SQL and params from the ORM)."""
    with connection.cursor() as cursor:
        ids_sql = cursor.mogrify(*ids_query).decode()
        cursor.execute(sql.format(ids=ids_sql.replace("%", "%%")), params)
        return cursor.fetchall()
