"""Reads for grids: where a point lies in the territory."""

import math
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from grid import spatial

LEVELS = {1: "grid", 2: "village", 3: "township", 4: "county"}


@dataclass(frozen=True)
class Unit:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class Location:
    """Where a WGS-84 point lies: the lowest unit that holds it, and those above.

    `level` is the lowest unit found ("grid" normally; "village" or higher
    where no grid lies within the tolerance). `distance_m` is 0 for a point
    inside that unit; a point in a gap gets the nearest unit within the
    tolerance, with `snapped` true and the distance in metres.
    """

    level: str
    distance_m: float
    grid: Unit | None
    village: Unit | None
    township: Unit | None
    county: Unit
    # Whether any worker covers the grid (None when no grid), and the ids of the grids
    # `worker_id` (the user asked about in point_locate) works in.
    grid_staffed: bool | None = None
    worker_id: int | None = None
    worker_grids: frozenset[int] = frozenset()

    @property
    def snapped(self) -> bool:
        return self.distance_m > 0


class PointOutsideTerritory(ValueError):
    pass


def point_locate(
    *, lon: float, lat: float, tolerance_m: float | None = None, worker_id: int | None = None
) -> Location:
    """The grid, village, township and county of a WGS-84 point, in one query.

    With `worker_id`, the same query also reads the grids that user works in
    (Location.worker_grids).

    Raises PointOutsideTerritory (with a message for the user) when the point
    is not valid longitude/latitude or lies outside every county.
    """
    if tolerance_m is None:
        tolerance_m = settings.GRID_GAP_TOLERANCE_M
    try:
        lon, lat = float(lon), float(lat)
        valid = (
            math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90
        )
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise PointOutsideTerritory(
            _("(%(lon)s, %(lat)s) is not a longitude/latitude pair in WGS-84")
            % {"lon": lon, "lat": lat}
        )
    # A degree of longitude shrinks with latitude; the box is only a prefilter.
    tolerance_deg = tolerance_m / (110_000 * max(math.cos(math.radians(lat)), 0.01))
    row = spatial.locate_row(lon, lat, tolerance_m, tolerance_deg, worker_id)
    if row is None:
        raise PointOutsideTerritory(_outside_message(lon, lat))
    level, distance, *units, staffed, worker_grids = row
    grid, village, township, county = (
        Unit(*units[i : i + 3]) if units[i] is not None else None for i in range(0, 12, 3)
    )
    return Location(
        LEVELS[level],
        float(distance),
        grid,
        village,
        township,
        county,
        grid_staffed=staffed if grid is not None else None,
        worker_id=worker_id,
        worker_grids=frozenset(worker_grids),
    )


def _outside_message(lon, lat):
    nearest = spatial.nearest_county_row(lon, lat)
    if nearest is None:
        return _("No county boundary has been imported; cannot place (%(lon).6f, %(lat).6f).") % {
            "lon": lon,
            "lat": lat,
        }
    name, distance = nearest
    return _("(%(lon).6f, %(lat).6f) is outside the territory: %(km).1f km from %(county)s.") % {
        "lon": lon,
        "lat": lat,
        "km": distance / 1000,
        "county": name,
    }
