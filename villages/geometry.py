"""Geometry cleaning for imported boundaries (GEOS, SRID 4326)."""

from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon


@dataclass(frozen=True)
class Cleaned:
    geometry: MultiPolygon | None
    reason: str = ""  # GEOS's reason the input was invalid, "" if it was valid
    area_change: float = 0.0  # relative change of the area made by the repair


def polygonal_parts(geom: GEOSGeometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [] if geom.empty else [geom]
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for part in geom for p in polygonal_parts(part)]
    return []


def as_multipolygon(geom: GEOSGeometry) -> MultiPolygon | None:
    """The polygonal parts of `geom` as one MultiPolygon, or None if there are none."""
    parts = polygonal_parts(geom)
    if not parts:
        return None
    multi = MultiPolygon(*parts, srid=geom.srid)
    if len(parts) > 1 and not multi.valid:
        # Parts of a valid collection may still touch along an edge, which a
        # valid MultiPolygon may not: dissolve them.
        multi = as_multipolygon(multi.unary_union)
    return multi


def boundary_clean(geom: GEOSGeometry) -> Cleaned:
    """Repair an invalid polygonal geometry with MakeValid, keeping its polygonal parts."""
    if geom.valid:
        return Cleaned(as_multipolygon(geom))
    reason = geom.valid_reason
    repaired = as_multipolygon(geom.make_valid())
    if repaired is None or not repaired.valid:
        return Cleaned(None, reason)
    before = geom.area
    change = abs(repaired.area - before) / before if before else 0.0
    return Cleaned(repaired, reason, change)
