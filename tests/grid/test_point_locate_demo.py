import math
import random

import pytest
import shapely
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grid.models import Grid
from grid.selectors import PointOutsideTerritory, point_locate

pytestmark = pytest.mark.django_db

# metres per degree near 29°N, good to a fraction of a percent for short distances
M_PER_DEG_LAT = 110_850
M_PER_DEG_LON = 111_320 * math.cos(math.radians(29.0))


def metres_to(geom, point):
    """Ground distance (m) from a point to a lon/lat geometry nearby, in a local plane.

    Degrees of the WGS-84 ellipsoid at the point's latitude, good to about 0.1%
    within a few hundred metres.
    """
    a, e2 = 6_378_137.0, 0.00669438
    phi = math.radians(point.y)
    w = math.sqrt(1 - e2 * math.sin(phi) ** 2)
    per_lon = math.radians(1) * a * math.cos(phi) / w
    per_lat = math.radians(1) * a * (1 - e2) / w**3
    scale = [per_lon, per_lat]
    return shapely.transform(geom, lambda c: c * scale).distance(
        shapely.transform(point, lambda c: c * scale)
    )


def sample_points(outline, rng, count=1000):
    """Points inside the county, near its edge (within ±150 m) and anywhere around it."""
    west, south, east, north = outline.bounds
    edge = shapely.get_coordinates(outline.boundary)
    points = []
    while len(points) < count:
        kind = len(points) % 10
        if kind < 6:
            point = (rng.uniform(west, east), rng.uniform(south, north))
            if not outline.contains(shapely.Point(point)):
                continue
        elif kind < 9:
            x, y = edge[rng.randrange(len(edge))]
            point = (
                x + rng.uniform(-150, 150) / M_PER_DEG_LON,
                y + rng.uniform(-150, 150) / M_PER_DEG_LAT,
            )
        else:
            point = (rng.uniform(west - 0.05, east + 0.05), rng.uniform(south - 0.05, north + 0.05))
        points.append(point)
    return points


@pytest.mark.slow
def test_a_thousand_random_points_agree_with_shapely(demo_county):
    grids = list(Grid.objects.select_related("village", "township"))
    shapes = [shapely.from_wkb(bytes(g.boundary.wkb)) for g in grids]
    tree = shapely.STRtree(shapes)
    outline = shapely.from_wkb(bytes(demo_county.county.boundary.wkb))
    inside = snapped = outside = 0

    for lon, lat in sample_points(outline, random.Random(11)):
        point = shapely.Point(lon, lat)
        containing = {grids[i].code for i in tree.query(point, predicate="intersects")}
        if containing:
            location = point_locate(lon=lon, lat=lat)
            assert location.grid.code in containing
            assert location.distance_m == 0 and location.level == "grid"
            grid = next(g for g in grids if g.code == location.grid.code)
            assert (location.village.code, location.township.code, location.county.code) == (
                grid.village.code,
                grid.township.code,
                "360425",
            )
            inside += 1
            continue
        nearest = min(
            (metres_to(shapes[i], point) for i in tree.query(point.buffer(0.01))), default=math.inf
        )
        if nearest < 48:
            location = point_locate(lon=lon, lat=lat)
            assert location.snapped and location.distance_m == pytest.approx(nearest, rel=0.005)
            snapped += 1
        elif nearest > 52:
            with pytest.raises(PointOutsideTerritory):
                point_locate(lon=lon, lat=lat)
            outside += 1
    assert inside > 600 and snapped > 20 and outside > 100


def test_answers_in_one_query(demo_county):
    grid = Grid.objects.order_by("code").first()
    centre = grid.boundary.point_on_surface
    with CaptureQueriesContext(connection) as queries:
        location = point_locate(lon=centre.x, lat=centre.y)
    assert len(queries) == 1
    assert location.grid.code == grid.code
    assert location.grid.name == grid.name
    assert location.village.name == grid.village.name
