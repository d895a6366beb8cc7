"""Partition a polygon into cells: Voronoi cells around seed points, clipped to it.

Pure shapely, in the coordinates it is given (lon/lat for the demo county).
Deterministic for a given random.Random.
"""

import random

import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

LLOYD_ROUNDS = 3


def points_inside(area: BaseGeometry, count: int, rng: random.Random) -> list[Point]:
    """`count` random points strictly inside `area`."""
    shapely.prepare(area)
    xmin, ymin, xmax, ymax = area.bounds
    points = []
    while len(points) < count:
        point = Point(rng.uniform(xmin, xmax), rng.uniform(ymin, ymax))
        if area.contains_properly(point):
            points.append(point)
    return points


def polygonal(geom: BaseGeometry) -> MultiPolygon:
    """The polygons of `geom`, at any depth of collections (a clipped cell can be one)."""
    return MultiPolygon(_polygons(geom))


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [] if geom.is_empty else [geom]
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for part in shapely.get_parts(geom) for p in _polygons(part)]
    return []


def voronoi_cells(area: BaseGeometry, seeds: list[Point]) -> list[MultiPolygon]:
    """One cell per seed, in seed order; together they cover `area` without overlapping."""
    if len(seeds) == 1:
        return [polygonal(area)]
    diagram = shapely.voronoi_polygons(
        MultiPoint(seeds), extend_to=area.envelope.buffer(1.0), ordered=True
    )
    return [polygonal(cell.intersection(area)) for cell in shapely.get_parts(diagram)]


def partition(area: BaseGeometry, count: int, rng: random.Random) -> list[MultiPolygon]:
    """Split `area` into `count` cells of similar size (a few rounds of Lloyd relaxation)."""
    area = shapely.make_valid(area) if not area.is_valid else area
    seeds = points_inside(area, count, rng)
    for _ in range(LLOYD_ROUNDS):
        cells = voronoi_cells(area, seeds)
        seeds = [_cell_centre(cell, seed, area) for cell, seed in zip(cells, seeds, strict=True)]
    return voronoi_cells(area, seeds)


def _cell_centre(cell: BaseGeometry, seed: Point, area: BaseGeometry) -> Point:
    if cell.is_empty:
        return seed
    centre = cell.centroid
    if area.contains_properly(centre):
        return centre
    inner = cell.representative_point()
    return inner if area.contains_properly(inner) else seed
