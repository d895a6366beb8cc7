"""Import boundaries from GeoJSON or Shapefile (through GDAL) onto the hierarchy.

Any source CRS is reprojected to WGS-84 (SRID 4326). Invalid geometries are
repaired with MakeValid and each repair is reported, or, with strict=True,
rejected. The file is read and checked completely before anything is
written, and the writes happen in one transaction.
"""

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.gdal import CoordTransform, DataSource, GDALException, SpatialReference
from django.db import transaction
from django.utils.translation import gettext as _

from grid import services as grid_services
from grid.models import GRID_CODE_RE, Grid
from villages.geometry import boundary_clean
from villages.models import County, Township, Village
from villages.services import boundary_checks as checks
from villages.services.boundary_generation import generated_inside_clear
from villages.services.report import ImportFailed, ImportReport, Problem

LEVEL_MODELS = {"county": County, "township": Township, "village": Village, "grid": Grid}
CODE_FIELDS = ("code", "adcode", "xzqdm", "qhdm", "dm")
NAME_FIELDS = ("name", "xzqmc", "qhmc", "mc")
WGS84 = 4326


@dataclass
class Feature:
    where: str
    code: str
    name: str
    geometry: object  # MultiPolygon, SRID 4326
    order: int = 0  # its number in the file


@contextmanager
def shapefile_encoding(encoding: str | None):
    """Tell GDAL the DBF's text encoding, overriding its .cpg file and code page byte."""
    if not encoding:
        yield
        return
    old = os.environ.get("SHAPE_ENCODING")
    os.environ["SHAPE_ENCODING"] = encoding
    try:
        yield
    finally:
        if old is None:
            del os.environ["SHAPE_ENCODING"]
        else:
            os.environ["SHAPE_ENCODING"] = old


def boundaries_import(
    *,
    path: Path,
    level: str,
    code_field: str | None = None,
    name_field: str | None = None,
    encoding: str | None = None,
    strict: bool = False,
    srid: int | None = None,
    trust_codes: bool = False,
) -> ImportReport:
    """Set the boundaries of the divisions (or grids) that the file's features name.

    Features are matched by code, or by name when the file has no code field
    (grids only by code). A feature whose name differs from the stored name of
    its code is refused (only noted with trust_codes), and so is one that lies
    outside its parent (settings.BOUNDARY_WITHIN_PARENT). Raises ImportFailed,
    having written nothing, on any problem.
    """
    if level not in LEVEL_MODELS:
        raise ImportFailed([Problem(str(path), _("unknown level “%(level)s”") % {"level": level})])
    report = ImportReport()
    features = boundaries_read(
        path=Path(path),
        code_field=code_field,
        name_field=name_field,
        encoding=encoding,
        strict=strict,
        srid=srid,
        report=report,
    )
    model = LEVEL_MODELS[level]
    known_names = set(model.objects.values_list("name", flat=True))
    wrong_encoding = checks.encoding_problem(
        features, encoding=encoding, known_names=known_names, filename=Path(path).name
    )
    if wrong_encoding:
        raise ImportFailed([wrong_encoding])
    targets, problems = _match(features, level)
    villages = checks.villages_with_parents() if level == "grid" else {}
    for feature, target in targets:
        # A grid's name is free text; a division's is official.
        mismatch = checks.name_mismatch(feature, target) if level != "grid" else None
        if mismatch and trust_codes:
            report.notes.append(mismatch)
        elif mismatch:
            problems.append(mismatch)
        parent = checks.parent_with_boundary(level, feature, target, villages)
        if parent is not None:
            outside = checks.containment_problem(feature, parent)
            if outside:
                problems.append(outside)
    if problems:
        raise ImportFailed(problems)
    with transaction.atomic():
        for feature, target in targets:
            if target is None:
                grid_services.grid_create(
                    code=feature.code, name=feature.name, boundary=feature.geometry
                )
                report.created += 1
            elif target.boundary is not None and target.boundary.equals_exact(
                feature.geometry, tolerance=1e-9
            ):
                report.unchanged += 1
            else:
                target.boundary = feature.geometry
                target.boundary_generated = False
                target.save(update_fields=["boundary", "boundary_generated", "updated_at"])
                report.updated += 1
                if level != "grid":
                    dropped = generated_inside_clear(target)
                    if dropped:
                        report.notes.append(
                            Problem(
                                feature.where,
                                _(
                                    "the %(count)d generated boundaries inside it were dropped; "
                                    "run generate_boundaries to draw them inside the new one"
                                )
                                % {"count": dropped},
                            )
                        )
    return report


def boundaries_read(
    *,
    path,
    code_field=None,
    name_field=None,
    encoding=None,
    strict=False,
    srid=None,
    report,
    keyed=True,
):
    """Read, reproject and clean every feature; raise ImportFailed listing all problems.

    With keyed=False the features need no code or name (a bare outline).
    """
    if not path.exists():
        raise ImportFailed([Problem(str(path), _("no such file"))])
    with shapefile_encoding(encoding):
        try:
            source = DataSource(str(path))
        except GDALException as exc:
            raise ImportFailed(
                [Problem(path.name, _("GDAL cannot read this file: %(error)s") % {"error": exc})]
            ) from exc
        if len(source) == 0:
            raise ImportFailed([Problem(path.name, _("the file has no layers"))])
        layer = source[0]
        fields = layer.fields
        code_field = _field(fields, code_field, CODE_FIELDS, path.name)
        name_field = _field(fields, name_field, NAME_FIELDS, path.name)
        if keyed and code_field is None and name_field is None:
            raise ImportFailed(
                [
                    Problem(
                        path.name,
                        _("no code or name field; the fields are: %(fields)s")
                        % {"fields": ", ".join(fields) or "-"},
                    )
                ]
            )
        if layer.geom_type.name == "None":
            raise ImportFailed(
                [
                    Problem(
                        path.name,
                        _(
                            "the file is a table without geometries (%(driver)s); "
                            "give a GeoJSON file or a Shapefile (.shp with its .dbf, .shx and .prj)"
                        )
                        % {"driver": source.driver.name},
                    )
                ]
            )
        transform = _transform(layer, srid, source.driver.name, path.name)
        features, problems = [], []
        for index, feat in enumerate(layer, start=1):
            try:
                code = _text(feat, code_field)
                name = _text(feat, name_field)
            except UnicodeDecodeError:
                problems.append(
                    Problem(
                        _("feature %(n)d") % {"n": index},
                        _("its text is not UTF-8; give the encoding, e.g. --encoding GBK"),
                    )
                )
                continue
            where = _("feature %(n)d (%(label)s)") % {"n": index, "label": code or name or "?"}
            feature = _feature(feat, where, code, name, transform, strict, report, problems)
            if feature is not None:
                feature.order = index
            if feature is not None:
                features.append(feature)
    if problems:
        raise ImportFailed(problems)
    if not features:
        raise ImportFailed([Problem(path.name, _("the file has no features"))])
    return features


def _field(fields, requested, candidates, filename):
    if requested:
        if requested not in fields:
            raise ImportFailed(
                [
                    Problem(
                        filename,
                        _("there is no field “%(field)s”; the fields are: %(fields)s")
                        % {"field": requested, "fields": ", ".join(fields)},
                    )
                ]
            )
        return requested
    by_lower = {f.lower(): f for f in fields}
    return next((by_lower[c] for c in candidates if c in by_lower), None)


def _text(feat, field):
    if field is None:
        return ""
    value = feat.get(field)
    return "" if value is None else str(value).strip()


def _transform(layer, srid, driver, filename):
    if srid:
        source_srs = SpatialReference(srid)
    elif layer.srs is not None:
        source_srs = SpatialReference(layer.srs.wkt)
    elif driver == "GeoJSON":
        source_srs = SpatialReference(WGS84)  # RFC 7946: GeoJSON is WGS-84
    else:
        raise ImportFailed(
            [
                Problem(
                    filename,
                    _("the file does not say its coordinate system (no .prj); pass --srid"),
                )
            ]
        )
    if source_srs.srid == WGS84 and source_srs.geographic:
        return None
    return CoordTransform(source_srs, SpatialReference(WGS84))


def _feature(feat, where, code, name, transform, strict, report, problems):
    try:
        ogr = feat.geom
    except GDALException:  # a NULL geometry: GDAL has nothing to clone
        problems.append(Problem(where, _("the feature has no geometry")))
        return None
    if ogr is None or ogr.geom_type.name.removesuffix("25D") not in ("Polygon", "MultiPolygon"):
        kind = ogr.geom_type.name if ogr is not None else _("no geometry")
        problems.append(Problem(where, _("expected a polygon, found %(kind)s") % {"kind": kind}))
        return None
    ogr.set_3d(False)
    if transform is not None:
        try:
            ogr.transform(transform)
        except GDALException as exc:
            problems.append(Problem(where, _("cannot reproject: %(error)s") % {"error": exc}))
            return None
    geos = ogr.geos
    geos.srid = WGS84
    xmin, ymin, xmax, ymax = geos.extent
    if xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90:
        problems.append(
            Problem(
                where,
                _(
                    "coordinates are outside longitude/latitude range; is the coordinate system right?"
                ),
            )
        )
        return None
    cleaned = boundary_clean(geos)
    if cleaned.reason:
        if strict:
            problems.append(
                Problem(where, _("invalid geometry: %(reason)s") % {"reason": cleaned.reason})
            )
            return None
        if cleaned.geometry is None:
            problems.append(
                Problem(
                    where,
                    _("invalid geometry that cannot be repaired: %(reason)s")
                    % {"reason": cleaned.reason},
                )
            )
            return None
        report.notes.append(
            Problem(
                where,
                _("repaired invalid geometry (%(reason)s); area changed by %(change).3f%%")
                % {"reason": cleaned.reason, "change": cleaned.area_change * 100},
            )
        )
    return Feature(where, code, name, cleaned.geometry)


def _match(features, level):
    """Pair each feature with the row it sets; for new grids the row is None."""
    model = LEVEL_MODELS[level]
    pairs, problems, seen = [], [], {}
    parents = {"township": ["county"], "village": ["township", "county"]}.get(level, [])
    by_code = {obj.code: obj for obj in model.objects.select_related(*parents)}
    by_name: dict[str, list] = {}
    for obj in by_code.values():
        by_name.setdefault(obj.name, []).append(obj)
    villages = {v.code: v for v in Village.objects.only("id", "code")} if level == "grid" else {}
    for feature in features:
        key = feature.code or feature.name
        if key in seen:
            problems.append(
                Problem(
                    feature.where,
                    _("%(key)s appears again (first as %(first)s)")
                    % {"key": key, "first": seen[key]},
                )
            )
            continue
        seen[key] = feature.where
        if feature.code:
            target = by_code.get(feature.code)
            if target is None and level == "grid":
                match = GRID_CODE_RE.match(feature.code)
                if match and match["village"] in villages:
                    pairs.append((feature, None))
                    continue
                problems.append(
                    Problem(
                        feature.where,
                        _("grid code %(code)s is not a known village code, a dash and 2-3 digits")
                        % {"code": feature.code},
                    )
                )
                continue
        elif level == "grid":
            problems.append(Problem(feature.where, _("a grid needs a code")))
            continue
        else:
            named = by_name.get(feature.name, [])
            if len(named) > 1:
                problems.append(
                    Problem(
                        feature.where,
                        _("the name %(name)s is shared by %(codes)s; give the file a code field")
                        % {"name": feature.name, "codes": ", ".join(o.code for o in named)},
                    )
                )
                continue
            target = named[0] if named else None
        if target is None:
            problems.append(
                Problem(
                    feature.where,
                    _("no %(level)s has code or name %(key)s")
                    % {"level": model._meta.verbose_name, "key": key},
                )
            )
            continue
        pairs.append((feature, target))
    return pairs, problems
