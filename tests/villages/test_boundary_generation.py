"""generate_boundaries: real boundaries kept, the missing levels drawn inside them (issue 14)."""

import json
import random

import pytest
import shapely
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.core.management import CommandError, call_command
from django.db import connection

from grid.models import Grid
from villages.models import County, Township, Village
from villages.partition import partition
from villages.services.boundary_generation import boundaries_generate
from villages.services.boundary_import import boundaries_import
from villages.services.demo_county import demo_county_build
from villages.services.division_import import divisions_import_csv
from villages.services.report import ImportFailed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def scalar(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


@pytest.fixture
def real_townships(tmp_path, yongxiu_divisions, yongxiu_outline):
    """永修县 with its outline and a township layer from the land office (here: a partition)."""
    divisions_import_csv(path=yongxiu_divisions)
    boundaries_import(path=yongxiu_outline, level="county")
    outline = shapely.from_wkb(bytes(County.objects.get().boundary.wkb))
    townships = list(Township.objects.order_by("code"))
    cells = partition(outline, len(townships), random.Random(11))
    layer = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"XZQDM": t.code, "XZQMC": t.name},
                "geometry": json.loads(shapely.to_geojson(cell)),
            }
            for t, cell in zip(townships, cells, strict=True)
        ],
    }
    path = tmp_path / "towns.geojson"
    path.write_text(json.dumps(layer, ensure_ascii=False), encoding="utf-8")
    boundaries_import(path=path, level="township")
    return path


def township_areas():
    return {
        code: round(boundary.transform(4547, clone=True).area)
        for code, boundary in Township.objects.values_list("code", "boundary")
    }


@pytest.mark.slow
def test_generated_villages_and_grids_nest_in_real_townships_and_cover_them(real_townships):
    imported = township_areas()
    result = boundaries_generate(county=County.objects.get(), seed=3)

    assert (result.townships, result.villages) == (0, 238)
    assert result.grids == Grid.objects.count() >= 238 * 3
    assert township_areas() == imported
    assert not Township.objects.filter(boundary_generated=True).exists()
    assert not Village.objects.filter(boundary_generated=False).exists()
    for child, parent, link in [
        ("villages_village", "villages_township", "township_id"),
        ("grid_grid", "villages_village", "village_id"),
    ]:
        (outside,) = scalar(f"""
            SELECT max(ST_Area(ST_Difference(c.boundary, p.boundary)::geography))
              FROM {child} c JOIN {parent} p ON p.id = c.{link}""")
        assert outside < 1.0
        (overlap,) = scalar(f"""
            SELECT coalesce(max(ST_Area(ST_Intersection(a.boundary, b.boundary)::geography)), 0)
              FROM {child} a JOIN {child} b ON a.id < b.id AND a.boundary && b.boundary
             WHERE ST_Intersects(a.boundary, b.boundary)""")
        assert overlap < 1.0
        # No overlap, so a gap is the parent's area that its children's areas do not add up
        # to. Compared in the plane of SRID 4326, where the cells were cut (scaled to m² by
        # the parent's geodesic area): on geography or after a projection, a long edge of
        # the parent and its pieces in the children are different curves, which alone
        # differ by thousands of m² on a township.
        (gap,) = scalar(f"""
            SELECT max(abs(ST_Area(p.boundary) - u.area)
                       * ST_Area(p.boundary::geography) / ST_Area(p.boundary))
              FROM {parent} p
              JOIN (SELECT {link}, sum(ST_Area(boundary)) AS area
                      FROM {child} GROUP BY {link}) u ON u.{link} = p.id""")
        assert gap < 1.0


DEAN = (
    "code,name,level,parent_code\n"
    "360426,德安县,county,\n"
    "360426100,蒲亭镇,township,360426\n"
    "360426101,林泉乡,township,360426\n"
    "360426100201,北门村委会,village,360426100\n"
    "360426100202,南门村委会,village,360426100\n"
    "360426101201,林泉村委会,village,360426101\n"
)
DEAN_OUTLINE = (
    '{"type": "Polygon", "coordinates": [[[115.6, 29.2], [115.9, 29.2], [115.9, 29.45],'
    " [115.6, 29.45], [115.6, 29.2]]]}"
)
# 蒲亭镇 as the land office drew it: the western third of the county.
PUTING = [[115.6, 29.2], [115.7, 29.2], [115.7, 29.45], [115.6, 29.45], [115.6, 29.2]]


@pytest.fixture
def dean(tmp_path):
    divisions = tmp_path / "divisions.csv"
    divisions.write_text(DEAN, encoding="utf-8")
    outline = tmp_path / "outline.geojson"
    outline.write_text(DEAN_OUTLINE)
    return divisions, outline


def boundaries():
    return {
        **dict(Township.objects.values_list("code", "boundary")),
        **dict(Village.objects.values_list("code", "boundary")),
        **dict(Grid.objects.values_list("code", "boundary")),
    }


def puting_import(tmp_path):
    path = tmp_path / "puting.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "Feature",
                "properties": {"code": "360426100", "name": "蒲亭镇"},
                "geometry": {"type": "Polygon", "coordinates": [PUTING]},
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return boundaries_import(path=path, level="township")


def test_the_demo_keeps_an_imported_township_and_fills_the_rest(dean, tmp_path):
    divisions, outline = dean
    divisions_import_csv(path=divisions)
    demo_county_build(divisions=divisions, outline=outline, seed=1)
    puting_import(tmp_path)  # after the demo: its generated villages there are dropped
    assert Village.objects.filter(township__code="360426100", boundary=None).count() == 2

    demo = demo_county_build(divisions=divisions, outline=outline, seed=1)

    puting = Township.objects.get(code="360426100")
    assert not puting.boundary_generated
    assert puting.boundary.extent == pytest.approx((115.6, 29.2, 115.7, 29.45))
    assert Township.objects.get(code="360426101").boundary_generated
    assert demo.drawn == 2 + Grid.objects.filter(township=puting).count()
    for village in Village.objects.filter(township=puting):
        assert village.boundary.difference(puting.boundary).area < 1e-12


def test_another_seed_is_refused_and_replace_redraws_only_the_generated(dean, tmp_path):
    divisions, outline = dean
    demo_county_build(divisions=divisions, outline=outline, seed=1)
    puting_import(tmp_path)
    county = County.objects.get()
    boundaries_generate(county=county, seed=1)
    before = boundaries()

    with pytest.raises(ImportFailed) as failed:
        boundaries_generate(county=county, seed=2)
    [problem] = failed.value.problems
    assert problem.where == "德安县"
    assert "drawn with seed 1; give --seed 1 to fill in what is missing, or --replace" in (
        problem.message
    )
    assert boundaries() == before

    again = boundaries_generate(county=county, seed=1)
    assert (again.townships, again.villages, again.grids) == (0, 0, 0)
    assert boundaries() == before

    replaced = boundaries_generate(county=county, seed=2, replace=True)
    after = boundaries()
    assert replaced.cleared == replaced.townships + replaced.villages + replaced.grids > 0
    assert after["360426100"] == before["360426100"]  # imported: kept
    assert after["360426101201"] != before["360426101201"]
    assert set(after) == set(before)  # the same grids, redrawn
    assert County.objects.get().boundary_seed == 2


def test_a_county_without_outline_is_refused(dean):
    divisions_import_csv(path=dean[0])
    with pytest.raises(ImportFailed, match="the county has no boundary; import it first"):
        boundaries_generate(county=County.objects.get(), seed=1)


def test_command_fills_and_refuses_another_seed(dean, capsys):
    divisions_import_csv(path=dean[0])
    County.objects.update(boundary=MultiPolygon(GEOSGeometry(DEAN_OUTLINE), srid=4326))
    call_command("generate_boundaries", seed=5, language="en")
    assert "德安县 (seed 5): drawn 2 township, 3 village and" in capsys.readouterr().out

    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command("generate_boundaries", seed=6, language="en")
    assert "--replace to redraw them with seed 6" in capsys.readouterr().err

    call_command("generate_boundaries", language="en")  # the seed used before
    assert "(seed 5): drawn 0 township, 0 village and 0 grid" in capsys.readouterr().out
