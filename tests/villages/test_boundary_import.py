import json
import subprocess

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.core.management import CommandError, call_command

from grid.models import Grid
from villages.models import County, Township, Village
from villages.services.boundary_import import boundaries_import
from villages.services.division_import import divisions_import_csv
from villages.services.report import ImportFailed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# Two real villages of 涂埠镇 as small squares (lon/lat), and a bow-tie.
XINGYANG = [[115.80, 29.00], [115.81, 29.00], [115.81, 29.01], [115.80, 29.01], [115.80, 29.00]]
NANZHOU = [[115.81, 29.00], [115.82, 29.00], [115.82, 29.01], [115.81, 29.01], [115.81, 29.00]]
BOW_TIE = [[115.82, 29.00], [115.83, 29.01], [115.83, 29.00], [115.82, 29.01], [115.82, 29.00]]


@pytest.fixture(autouse=True)
def yongxiu(yongxiu_divisions):
    divisions_import_csv(path=yongxiu_divisions)


def feature(properties, ring, kind="Polygon"):
    coordinates = [ring] if kind == "Polygon" else ring
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def geojson(tmp_path, *features, name="villages.geojson"):
    path = tmp_path / name
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False),
        encoding="utf-8",
    )
    return path


def boundaries():
    return {v.code: v.boundary for v in Village.objects.exclude(boundary=None)}


def test_real_county_outline_is_repaired_and_the_repair_reported(yongxiu_outline):
    report = boundaries_import(path=yongxiu_outline, level="county")

    county = County.objects.get(code="360425")
    assert county.boundary.valid
    assert county.boundary.geom_type == "MultiPolygon"
    # about 2,000 km² (the real county is 2,035 km²)
    area_km2 = county.boundary.transform(4547, clone=True).area / 1e6
    assert 1800 < area_km2 < 2300
    assert report.updated == 1
    [note] = report.notes
    assert note.where == "feature 1 (永修县)"
    assert "repaired invalid geometry (Self-intersection[" in note.message


def test_strict_import_rejects_the_real_outline_and_writes_nothing(yongxiu_outline):
    with pytest.raises(ImportFailed) as failed:
        boundaries_import(path=yongxiu_outline, level="county", strict=True)
    [problem] = failed.value.problems
    assert str(problem).startswith("feature 1 (永修县): invalid geometry: Self-intersection[")
    assert County.objects.get().boundary is None


def test_geojson_sets_village_boundaries_by_code(tmp_path):
    path = geojson(
        tmp_path,
        feature({"code": "360425100201", "name": "兴杨村委会"}, XINGYANG),
        feature({"code": "360425100202", "name": "南洲村委会"}, NANZHOU),
    )
    report = boundaries_import(path=path, level="village")

    assert (report.updated, report.notes) == (2, [])
    assert boundaries()["360425100201"].equals_exact(
        GEOSGeometry(json.dumps({"type": "MultiPolygon", "coordinates": [[XINGYANG]]})), 1e-9
    )


def test_bow_tie_is_repaired_into_two_triangles_and_reported(tmp_path):
    path = geojson(tmp_path, feature({"code": "360425100203"}, BOW_TIE))
    report = boundaries_import(path=path, level="village")

    boundary = Village.objects.get(code="360425100203").boundary
    assert boundary.valid and len(boundary) == 2
    assert "Self-intersection" in report.notes[0].message
    assert report.notes[0].where == "feature 1 (360425100203)"


def test_a_feature_with_an_unknown_code_stops_the_whole_import(tmp_path):
    path = geojson(
        tmp_path,
        feature({"code": "360425100201"}, XINGYANG),
        feature({"code": "360425100299"}, NANZHOU),
    )
    with pytest.raises(ImportFailed) as failed:
        boundaries_import(path=path, level="village")
    assert [str(p) for p in failed.value.problems] == [
        "feature 2 (360425100299): no village has code or name 360425100299"
    ]
    assert boundaries() == {}


def test_a_failed_import_keeps_the_boundaries_already_stored(tmp_path):
    boundaries_import(
        path=geojson(tmp_path, feature({"code": "360425100201"}, XINGYANG)), level="village"
    )
    stored = boundaries()

    bad = geojson(
        tmp_path,
        feature({"code": "360425100201"}, NANZHOU),
        feature({"code": "360425100202"}, [[115.8, 29.0], [115.9, 29.1]], kind="LineString"),
        name="bad.geojson",
    )
    with pytest.raises(ImportFailed) as failed:
        boundaries_import(path=bad, level="village")

    assert (
        str(failed.value.problems[0])
        == "feature 2 (360425100202): expected a polygon, found LineString"
    )
    assert boundaries() == stored


def test_features_are_matched_by_name_when_there_is_no_code(tmp_path):
    path = geojson(tmp_path, feature({"name": "兴杨村委会"}, XINGYANG))
    boundaries_import(path=path, level="village")
    assert list(boundaries()) == ["360425100201"]


def test_grid_file_creates_grids_under_their_village(tmp_path):
    path = geojson(
        tmp_path,
        feature({"code": "360425100201-01", "name": "兴杨一组网格"}, XINGYANG),
        feature({"code": "360425100202-01"}, NANZHOU),
    )
    report = boundaries_import(path=path, level="grid")

    assert report.created == 2
    grid = Grid.objects.get(code="360425100201-01")
    assert (grid.name, grid.village.name, grid.township.name, grid.county.name) == (
        "兴杨一组网格",
        "兴杨村委会",
        "涂埠镇",
        "永修县",
    )
    assert Grid.objects.get(code="360425100202-01").name == "Grid 01"


def test_grid_code_under_an_unknown_village_is_refused(tmp_path):
    path = geojson(tmp_path, feature({"code": "360425100299-01"}, XINGYANG))
    with pytest.raises(ImportFailed, match="360425100299-01 is not a known village code"):
        boundaries_import(path=path, level="grid")
    assert not Grid.objects.exists()


def test_unknown_field_is_named_with_the_fields_there_are(tmp_path):
    path = geojson(tmp_path, feature({"code": "360425100201", "name": "兴杨村委会"}, XINGYANG))
    with pytest.raises(ImportFailed, match="there is no field “XZQDM”; the fields are: code, name"):
        boundaries_import(path=path, level="village", code_field="XZQDM")


def test_a_file_gdal_cannot_read_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ImportFailed, match="GDAL cannot read this file"):
        boundaries_import(path=path, level="village")


def shapefile(tmp_path, *features, cpg=True, srs="EPSG:4547"):
    """A Shapefile in a projected CRS (CGCS2000 / 3-degree Gauss-Kruger CM 114E) with GBK text."""
    source = geojson(tmp_path, *features, name="source.geojson")
    target = tmp_path / "villages.shp"
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "ESRI Shapefile",
            str(target),
            str(source),
            "-t_srs",
            srs,
            "-lco",
            "ENCODING=GBK",
        ],
        check=True,
    )
    assert (tmp_path / "villages.cpg").read_text().strip() == "GBK"
    if not cpg:
        # No .cpg and no code page byte: nothing in the file says GBK.
        (tmp_path / "villages.cpg").unlink()
        dbf = tmp_path / "villages.dbf"
        data = bytearray(dbf.read_bytes())
        data[29] = 0
        dbf.write_bytes(bytes(data))
    return target


def test_projected_gbk_shapefile_is_reprojected_and_its_names_read(tmp_path):
    path = shapefile(
        tmp_path,
        feature({"name": "兴杨村委会"}, XINGYANG),
        feature({"name": "南洲村委会"}, NANZHOU),
    )
    assert "兴杨".encode("gbk") in (tmp_path / "villages.dbf").read_bytes()

    report = boundaries_import(path=path, level="village")

    assert report.updated == 2
    xingyang = boundaries()["360425100201"]
    assert xingyang.srid == 4326
    west, south, east, north = xingyang.extent
    assert (west, south, east, north) == pytest.approx((115.80, 29.00, 115.81, 29.01), abs=1e-7)


def test_shapefile_without_cpg_needs_the_encoding_option(tmp_path):
    path = shapefile(tmp_path, feature({"name": "兴杨村委会"}, XINGYANG), cpg=False)

    with pytest.raises(ImportFailed) as failed:
        boundaries_import(path=path, level="village")
    assert [str(p) for p in failed.value.problems] == [
        "feature 1: its text is not UTF-8; give the encoding, e.g. --encoding GBK"
    ]

    boundaries_import(path=path, level="village", encoding="GBK")
    assert list(boundaries()) == ["360425100201"]


def test_shapefile_without_prj_needs_srid(tmp_path):
    path = shapefile(tmp_path, feature({"code": "360425100201"}, XINGYANG))
    (tmp_path / "villages.prj").unlink()

    with pytest.raises(ImportFailed, match=r"no \.prj\); pass --srid"):
        boundaries_import(path=path, level="village")

    boundaries_import(path=path, level="village", srid=4547)
    assert boundaries()["360425100201"].extent == pytest.approx(
        (115.80, 29.00, 115.81, 29.01), abs=1e-7
    )


def test_projected_coordinates_without_crs_are_refused(tmp_path):
    projected = [
        [675405.4, 3210605.4],
        [676380.1, 3210620.3],
        [676363.1, 3211728.9],
        [675405.4, 3210605.4],
    ]
    path = geojson(tmp_path, feature({"code": "360425100201"}, projected))
    with pytest.raises(ImportFailed, match="outside longitude/latitude range"):
        boundaries_import(path=path, level="village")


def test_command_prints_repairs_and_fails_cleanly(yongxiu_outline, capsys):
    call_command("import_boundaries", str(yongxiu_outline), level="county", language="en")
    out = capsys.readouterr().out
    assert "feature 1 (永修县): repaired invalid geometry (Self-intersection[" in out
    assert "0 created, 1 updated, 0 unchanged." in out

    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command(
            "import_boundaries", str(yongxiu_outline), level="county", strict=True, language="en"
        )


# --- files that read well but are wrong (issue 14) -------------------------------------------

TUBU = "360425100"  # 涂埠镇
FAR_AWAY = [[101.0, 38.0], [101.01, 38.0], [101.01, 38.01], [101.0, 38.01], [101.0, 38.0]]


@pytest.fixture
def outline(yongxiu_outline):
    boundaries_import(path=yongxiu_outline, level="county")


def township_boundaries():
    return dict(Township.objects.exclude(boundary=None).values_list("code", "boundary"))


def test_a_shapefile_read_in_the_neighbouring_zone_is_refused_with_where_it_landed(
    tmp_path, outline
):
    path = shapefile(tmp_path, feature({"code": TUBU, "name": "涂埠镇"}, XINGYANG))
    (tmp_path / "villages.prj").unlink()

    # CGCS2000 3-degree zone with its central meridian at 111°E, one zone west of 4547's 114°E
    with pytest.raises(ImportFailed) as failed:
        boundaries_import(path=path, level="township", srid=4546)
    [problem] = failed.value.problems
    assert problem.where == f"feature 1 ({TUBU})"
    message = problem.message
    assert message.startswith("it lies wholly outside 永修县: ")
    assert message.endswith(" km west of 永修县; is the coordinate system right?")
    assert 200 < int(message.split(": ")[1].split(" km")[0]) < 400
    assert township_boundaries() == {}

    boundaries_import(path=path, level="township", srid=4547)
    assert list(township_boundaries()) == [TUBU]


def test_a_unit_partly_outside_its_parent_says_how_much(tmp_path, outline):
    # A square around the county's westernmost corner: some of it inside, most outside.
    x, y = min(County.objects.get().boundary.coords[0][0], key=lambda xy: xy[0])
    straddling = [
        [x - 0.02, y - 0.02],
        [x + 0.02, y - 0.02],
        [x + 0.02, y + 0.02],
        [x - 0.02, y + 0.02],
        [x - 0.02, y - 0.02],
    ]
    path = geojson(tmp_path, feature({"code": TUBU}, straddling))
    with pytest.raises(
        ImportFailed,
        match=r"% of it \(\d+\.\d\d km²\) lies outside 永修县, west of it; at most 2\.0% may",
    ):
        boundaries_import(path=path, level="township")
    assert township_boundaries() == {}


def test_the_tolerance_is_a_setting(tmp_path, outline, settings):
    settings.BOUNDARY_WITHIN_PARENT = 0.0
    path = geojson(tmp_path, feature({"code": TUBU}, FAR_AWAY))
    boundaries_import(path=path, level="township")
    assert list(township_boundaries()) == [TUBU]


def test_a_grid_code_on_another_countys_polygon_is_refused(tmp_path):
    boundaries_import(
        path=geojson(tmp_path, feature({"code": "360425100201"}, XINGYANG)), level="village"
    )
    path = geojson(tmp_path, feature({"code": "360425100201-01"}, FAR_AWAY), name="grids.geojson")
    with pytest.raises(
        ImportFailed,
        match=r"feature 1 \(360425100201-01\): it lies wholly outside 兴杨村委会: \d+ km north-west of 兴杨村委会",
    ):
        boundaries_import(path=path, level="grid")
    assert not Grid.objects.exists()


def test_a_name_that_differs_from_its_codes_is_an_error_unless_codes_are_trusted(tmp_path):
    path = geojson(
        tmp_path,
        feature({"code": "360425100201", "name": "大马营镇"}, XINGYANG),
        feature({"code": "360425100202", "name": "南洲村"}, NANZHOU),  # a short form agrees
    )
    with pytest.raises(ImportFailed) as failed:
        boundaries_import(path=path, level="village")
    assert [str(p) for p in failed.value.problems] == [
        "feature 1 (360425100201): the file names it “大马营镇”, but code 360425100201 is "
        "“兴杨村委会”; give --trust-codes if the code is right"
    ]
    assert boundaries() == {}

    report = boundaries_import(path=path, level="village", trust_codes=True)
    assert report.updated == 2
    assert "“大马营镇”" in report.notes[0].message


def test_a_wrong_encoding_is_named_instead_of_garbled_names(tmp_path):
    path = shapefile(
        tmp_path,
        feature({"name": "兴杨村委会"}, XINGYANG),
        feature({"name": "南洲村委会"}, NANZHOU),
    )
    with pytest.raises(ImportFailed) as failed:
        boundaries_import(path=path, level="village", encoding="latin1")
    [problem] = failed.value.problems
    assert problem.where == "villages.shp"
    assert "the names read with encoding latin1 match no division" in problem.message
    assert (
        "(“兴杨村委会”): the encoding is probably wrong, try --encoding GB18030" in problem.message
    )
    assert boundaries() == {}


def test_a_feature_without_geometry_is_named(tmp_path):
    empty = {"type": "Feature", "properties": {"code": "360425100202"}, "geometry": None}
    path = geojson(tmp_path, feature({"code": "360425100201"}, XINGYANG), empty)
    with pytest.raises(ImportFailed) as failed:
        boundaries_import(path=path, level="village")
    assert [str(p) for p in failed.value.problems] == [
        "feature 2 (360425100202): the feature has no geometry"
    ]
    assert boundaries() == {}


def test_a_csv_is_not_taken_for_a_shapefile_without_prj(tmp_path, yongxiu_divisions):
    with pytest.raises(ImportFailed) as failed:
        boundaries_import(path=yongxiu_divisions, level="township")
    [problem] = failed.value.problems
    assert problem.where == "divisions.csv"
    assert problem.message.startswith("the file is a table without geometries (CSV)")


def test_more_than_fifty_problems_say_how_many_more(tmp_path, capsys):
    features = [feature({"code": f"360425100{n:03d}"}, XINGYANG) for n in range(900, 960)]
    path = geojson(tmp_path, *features)
    with pytest.raises(ImportFailed) as failed:
        boundaries_import(path=path, level="village")
    assert len(failed.value.problems) == 60
    shown = failed.value.shown()
    assert len(shown) == 51
    assert str(shown[-1]) == "…: and 10 more problems not listed"

    with pytest.raises(CommandError, match="60 problem"):
        call_command("import_boundaries", str(path), level="village", language="en")
    assert "and 10 more problems not listed" in capsys.readouterr().err


def test_the_message_of_a_far_away_unit_in_chinese(tmp_path, outline, capsys):
    path = geojson(tmp_path, feature({"code": TUBU, "name": "涂埠镇"}, FAR_AWAY))
    with pytest.raises(CommandError, match="未导入任何数据：共 1 个问题"):
        call_command("import_boundaries", str(path), level="township", language="zh-hans")
    err = capsys.readouterr().err
    assert "完全不在永修县内：落在永修县西北方向 " in err
    assert " 公里；坐标系是否正确？" in err


def test_the_command_takes_trust_codes(tmp_path, capsys):
    path = geojson(tmp_path, feature({"code": "360425100201", "name": "大马营镇"}, XINGYANG))
    call_command("import_boundaries", str(path), level="village", trust_codes=True, language="en")
    out = capsys.readouterr().out
    assert "the file names it “大马营镇”" in out
    assert "0 created, 1 updated, 0 unchanged." in out
