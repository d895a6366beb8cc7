"""Generate the boundaries a county lacks, inside the ones it has.

Counties rarely have every level digitised: township boundaries exist,
village and grid boundaries often do not. Generation keeps every stored
boundary and partitions only what is left of each parent among its children
that have none (Voronoi cells clipped to the parent, villages.partition), so
generated units nest in their parent and, with their imported siblings, cover
it without gap or overlap. Each parent's cells come from its own random
stream (the seed and its code), so filling one township never moves another.
"""

import random
from dataclasses import dataclass, field

import shapely
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import transaction
from django.utils.translation import gettext as _

from grid.models import Grid
from villages.models import County, Township, Village
from villages.partition import partition, polygonal
from villages.services.report import ImportFailed, Problem

GRIDS_PER_VILLAGE = (3, 8)
# Less than this (in the square degrees of SRID 4326, about 100 m²) is no room at all.
NO_ROOM = 1e-8


@dataclass
class Generation:
    county: County
    seed: int
    townships: int = 0  # boundaries drawn at each level
    villages: int = 0
    grids: int = 0
    kept: int = 0  # boundaries that were there and stay
    cleared: int = 0  # generated boundaries dropped by --replace
    notes: list[Problem] = field(default_factory=list)


def boundaries_generate(*, county: County, seed: int, replace: bool = False) -> Generation:
    """Draw the missing township, village and grid boundaries of `county` (SRID 4326).

    Imported boundaries are never changed. With replace=True the generated
    ones are dropped and drawn again with `seed`; without it, a seed other than
    the one the county's generated boundaries were drawn with is refused
    (ImportFailed), and so is a county without an outline. Grids are created
    (3 to 8) for a village that has none. One transaction.
    """
    if county.boundary is None:
        raise ImportFailed(
            [
                Problem(
                    county.name,
                    _(
                        "the county has no boundary; import it first "
                        "(import_boundaries FILE --level county)"
                    ),
                )
            ]
        )
    with transaction.atomic():
        county = County.objects.select_for_update().get(pk=county.pk)
        result = Generation(county=county, seed=seed)
        generated = _generated_count(county)
        if replace:
            result.cleared = _clear_generated(county)
        elif generated and county.boundary_seed is not None and county.boundary_seed != seed:
            raise ImportFailed(
                [
                    Problem(
                        county.name,
                        _(
                            "its %(count)d generated boundaries were drawn with seed %(old)d; "
                            "give --seed %(old)d to fill in what is missing, or --replace to "
                            "redraw them with seed %(new)d"
                        )
                        % {"count": generated, "old": county.boundary_seed, "new": seed},
                    )
                ]
            )
        problems = []
        townships = list(county.townships.order_by("code"))
        result.townships = _fill(county, townships, seed, problems)
        for township in townships:
            if township.boundary is None:
                continue
            villages = list(township.villages.order_by("code"))
            result.villages += _fill(township, villages, seed, problems)
            for village in villages:
                if village.boundary is not None:
                    result.grids += _fill_grids(village, seed, problems)
        if problems:
            raise ImportFailed(problems)
        drawn = result.townships + result.villages + result.grids
        result.kept = _boundary_count(county) - drawn
        if drawn or replace:
            county.boundary_seed = seed
            county.save(update_fields=["boundary_seed", "updated_at"])
    return result


def _fill(parent, children, seed, problems) -> int:
    """Give the children without a boundary the cells of what their siblings leave of parent."""
    missing = [c for c in children if c.boundary is None]
    if not missing:
        return 0
    cells = _cells(parent, [c.boundary for c in children if c.boundary is not None], missing, seed)
    if cells is None:
        problems.append(_no_room(parent, missing))
        return 0
    for child, cell in zip(missing, cells, strict=True):
        child.boundary = cell
        child.boundary_generated = True
        # a grid made just now (no row yet) is saved whole
        child.save(
            update_fields=["boundary", "boundary_generated", "updated_at"] if child.pk else None
        )
    return len(missing)


def _fill_grids(village: Village, seed: int, problems) -> int:
    grids = list(village.grids.order_by("code"))
    if not grids:
        rng = random.Random(f"{seed}:{village.code}:grids")
        count = rng.randint(*GRIDS_PER_VILLAGE)
        grids = [
            Grid(
                code=f"{village.code}-{seq:02d}",
                name=_("Grid %(seq)s") % {"seq": f"{seq:02d}"},
                village=village,
                township_id=village.township_id,
                county_id=village.county_id,
            )
            for seq in range(1, count + 1)
        ]
    return _fill(village, grids, seed, problems)


def _cells(parent, kept, missing, seed):
    area = _shapely(parent.boundary)
    if kept:
        area = shapely.make_valid(area.difference(shapely.union_all([_shapely(b) for b in kept])))
    area = polygonal(area)
    if area.is_empty or area.area < NO_ROOM * len(missing):
        return None
    rng = random.Random(f"{seed}:{parent.code}")
    return [multipolygon_from_shapely(cell) for cell in partition(area, len(missing), rng)]


def _no_room(parent, missing) -> Problem:
    return Problem(
        parent.name,
        _("its stored boundaries leave no room for %(names)s")
        % {"names": "、".join(str(m.name) for m in missing[:10])},
    )


def _shapely(geom):
    return shapely.from_wkb(bytes(geom.wkb))


def multipolygon_from_shapely(geom) -> MultiPolygon:
    multi = GEOSGeometry(memoryview(shapely.to_wkb(geom)), srid=4326)
    if multi.geom_type == "Polygon":
        multi = MultiPolygon(multi, srid=4326)
    return multi


def _levels(county):
    return (
        Township.objects.filter(county=county),
        Village.objects.filter(county=county),
        Grid.objects.filter(county=county),
    )


def _generated_count(county) -> int:
    return sum(q.filter(boundary_generated=True).count() for q in _levels(county))


def _boundary_count(county) -> int:
    return sum(q.exclude(boundary=None).count() for q in _levels(county))


def _clear_generated(county) -> int:
    return sum(
        q.filter(boundary_generated=True).update(boundary=None, boundary_generated=False)
        for q in _levels(county)
    )


def generated_inside_clear(unit) -> int:
    """Drop the generated boundaries below a county, township or village whose boundary changed.

    They were cut from the old boundary and would no longer nest in the new one;
    generate_boundaries draws them again inside it. Returns how many were dropped.
    """
    key = {County: "county", Township: "township", Village: "village"}[type(unit)]
    below = {
        "county": (Township.objects, Village.objects, Grid.objects),
        "township": (Village.objects, Grid.objects),
        "village": (Grid.objects,),
    }[key]
    return sum(
        manager.filter(**{key: unit}, boundary_generated=True).update(
            boundary=None, boundary_generated=False
        )
        for manager in below
    )
