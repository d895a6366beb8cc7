import math

import pytest
from django.utils import translation

from grid.selectors import PointOutsideTerritory, point_locate
from tests.factories import GridFactory, VillageFactory, box

pytestmark = pytest.mark.django_db

# metres per degree of longitude near 29°N
M_PER_DEG_LON = 111_320 * math.cos(math.radians(29.0))


@pytest.fixture
def two_grids_with_a_gap():
    """兴杨村委会 with two grids 0.001° of longitude (≈97 m) apart and nothing between."""
    village = VillageFactory(boundary=box(115.800, 29.000, 115.803, 29.002))
    west = GridFactory(
        village=village, code="360425100201-01", boundary=box(115.800, 29.000, 115.801, 29.002)
    )
    east = GridFactory(
        village=village, code="360425100201-02", boundary=box(115.802, 29.000, 115.803, 29.002)
    )
    return west, east


def test_a_point_in_a_gap_near_a_grid_gets_that_grid_and_says_so(two_grids_with_a_gap):
    west, east = two_grids_with_a_gap
    # about 20 m east of the western grid
    location = point_locate(lon=115.801 + 20 / M_PER_DEG_LON, lat=29.001)
    assert location.grid.code == west.code
    assert location.snapped
    assert location.distance_m == pytest.approx(20, abs=0.5)

    location = point_locate(lon=115.802 - 10 / M_PER_DEG_LON, lat=29.001)
    assert (location.grid.code, round(location.distance_m)) == (east.code, 10)


def test_a_point_in_the_middle_of_a_wide_gap_lands_in_the_village(two_grids_with_a_gap):
    location = point_locate(lon=115.8015, lat=29.001)  # ≈ 49 m from both grids
    assert location.grid is not None  # within the default 50 m

    location = point_locate(lon=115.8015, lat=29.001, tolerance_m=30)
    assert (location.level, location.grid, location.village.code) == (
        "village",
        None,
        "360425100201",
    )
    assert location.distance_m == 0


def test_the_tolerance_is_a_setting(two_grids_with_a_gap, settings):
    settings.GRID_GAP_TOLERANCE_M = 10
    location = point_locate(lon=115.801 + 20 / M_PER_DEG_LON, lat=29.001)
    assert location.level == "village"


def test_a_point_outside_the_county_is_a_clear_error(two_grids_with_a_gap):
    with (
        translation.override("zh-hans"),
        pytest.raises(PointOutsideTerritory, match=r"不在辖区内：距永修县 9\.7 公里"),
    ):
        point_locate(lon=116.05, lat=29.0)
    with translation.override("en"), pytest.raises(PointOutsideTerritory) as outside:
        point_locate(lon=116.05, lat=29.0)
    assert str(outside.value) == (
        "(116.050000, 29.000000) is outside the territory: 9.7 km from 永修县."
    )


@pytest.mark.parametrize(("lon", "lat"), [(200, 29), (115.8, -95), (math.nan, 29), ("x", 29)])
def test_nonsense_coordinates_are_refused(lon, lat):
    with (
        translation.override("en"),
        pytest.raises(PointOutsideTerritory, match="not a longitude/latitude pair"),
    ):
        point_locate(lon=lon, lat=lat)
