"""A project's area from what a user gives: GeoJSON (a file or pasted) or WKT, in WGS-84."""

import json

from django.contrib.gis.gdal.error import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.utils.translation import gettext as _

from disputes.core.errors import CaseInputError
from villages.geometry import boundary_clean

MAX_TEXT = 2_000_000  # characters of GeoJSON or WKT
MAX_POINTS = 50_000


def area_parse(text: str):
    """A valid MultiPolygon (SRID 4326) from GeoJSON or WKT; CaseInputError("area") saying why not."""
    text = (text or "").strip()
    if not text:
        raise CaseInputError("area", _("Give the project's area as GeoJSON or WKT."))
    if len(text) > MAX_TEXT:
        raise CaseInputError("area", _("The area is too large a file (at most 2 MB)."))
    geometry = _geometry(text)
    if geometry.num_points > MAX_POINTS:
        raise CaseInputError(
            "area", _("The area has more than %(n)d points; simplify it.") % {"n": MAX_POINTS}
        )
    lon_min, lat_min, lon_max, lat_max = geometry.extent
    if not (-180 <= lon_min <= lon_max <= 180 and -90 <= lat_min <= lat_max <= 90):
        raise CaseInputError(
            "area",
            _("The coordinates are not longitude and latitude (WGS-84); convert the file first."),
        )
    cleaned = boundary_clean(geometry)
    if cleaned.geometry is None or cleaned.geometry.area == 0:
        raise CaseInputError("area", _("The area has no polygon with a surface."))
    cleaned.geometry.srid = 4326
    return cleaned.geometry


def _geometry(text: str) -> GEOSGeometry:
    if text[0] in "{[":
        try:
            data = json.loads(text)
        except ValueError as error:
            raise CaseInputError(
                "area", _("The GeoJSON cannot be read: %(error)s") % {"error": error}
            ) from None
        return _from_geojson(data)
    try:
        return GEOSGeometry(text, srid=4326)
    except (ValueError, GEOSException, GDALException):
        raise CaseInputError("area", _("Neither GeoJSON nor WKT could be read.")) from None


def _from_geojson(data) -> GEOSGeometry:
    if not isinstance(data, dict):
        raise CaseInputError("area", _("The GeoJSON must be an object."))
    if data.get("type") == "FeatureCollection":
        parts = [_from_geojson(feature) for feature in data.get("features") or []]
        if not parts:
            raise CaseInputError("area", _("The GeoJSON has no feature."))
        union = parts[0]
        for part in parts[1:]:
            union = union.union(part)
        return union
    if data.get("type") == "Feature":
        return _from_geojson(data.get("geometry") or {})
    if data.get("type") not in ("Polygon", "MultiPolygon"):
        raise CaseInputError(
            "area",
            _("The area must be a Polygon or MultiPolygon, not %(type)s.")
            % {"type": data.get("type") or "?"},
        )
    try:
        return GEOSGeometry(json.dumps(data), srid=4326)
    except (ValueError, GEOSException, GDALException):
        raise CaseInputError("area", _("The GeoJSON geometry cannot be read.")) from None
