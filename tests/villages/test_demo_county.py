import random

import pytest
import shapely
from django.contrib.auth import authenticate, get_user_model
from django.db import connection
from django.test import RequestFactory

from grid.models import Grid
from villages.models import County, Staff, Township, Village
from villages.partition import partition

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def scalar(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def test_every_division_has_a_valid_polygon(demo_county):
    assert (demo_county.townships, demo_county.villages) == (20, 238)
    for model in (County, Township, Village, Grid):
        assert not model.objects.filter(boundary=None).exists()
        table = model._meta.db_table
        assert scalar(f"SELECT count(*) FROM {table} WHERE NOT ST_IsValid(boundary)") == (0,)


def test_every_village_has_three_to_eight_grids(demo_county):
    counts = [v.grids.count() for v in Village.objects.all()]
    assert min(counts) >= 3 and max(counts) <= 8
    assert sum(counts) == demo_county.grids == Grid.objects.count()


# child table, parent table, the child's column naming its parent
LEVELS = [
    ("villages_township", "villages_county", "county_id"),
    ("villages_village", "villages_township", "township_id"),
    ("grid_grid", "villages_village", "village_id"),
]


@pytest.mark.parametrize(("child", "parent", "link"), LEVELS)
def test_units_nest_in_their_parent(demo_county, child, parent, link):
    # The area of a child outside its parent is nothing but float noise (< 1 m²).
    worst = scalar(f"""
        SELECT max(ST_Area(ST_Difference(c.boundary, p.boundary)::geography))
          FROM {child} c JOIN {parent} p ON p.id = c.{link}
    """)[0]
    assert worst < 1.0


@pytest.mark.parametrize("table", ["villages_township", "villages_village", "grid_grid"])
def test_units_of_a_level_do_not_overlap(demo_county, table):
    pairs, worst = scalar(f"""
        SELECT count(*), coalesce(max(ST_Area(ST_Intersection(a.boundary, b.boundary)::geography)), 0)
          FROM {table} a JOIN {table} b ON a.id < b.id AND a.boundary && b.boundary
         WHERE ST_Intersects(a.boundary, b.boundary)
    """)
    assert pairs > 0  # neighbours touch
    assert worst < 1.0


@pytest.mark.parametrize("table", ["villages_township", "villages_village", "grid_grid"])
def test_units_of_a_level_cover_the_county(demo_county, table):
    county_area, level_area = scalar(f"""
        SELECT (SELECT ST_Area(boundary::geography) FROM villages_county),
               (SELECT sum(ST_Area(boundary::geography)) FROM {table})
    """)
    assert level_area == pytest.approx(county_area, rel=0.005)


def test_population_adds_up(demo_county):
    county = County.objects.get()
    assert county.households == sum(Grid.objects.values_list("households", flat=True))
    assert county.population == round(county.households * 3.1)


def test_demo_users_exist_for_every_role_and_can_log_in(demo_county, client, settings):
    roles = dict(Staff.objects.values_list("user__username", "role"))
    # one per role of the county (the offices above a county are not in a county's demo)
    county_roles = [r for r in Staff.Role.values if r not in ("city_office", "province_office")]
    assert roles == {role: role for role in county_roles}
    worker = get_user_model().objects.get(username="grid_worker")
    assert worker.grids.count() == 2
    assert {g.village_id for g in worker.grids.all()} == {worker.staff.village_id}
    for username in ("township_leader", "admin"):  # a login is a request (django-axes)
        request = RequestFactory().post("/m/login/")
        assert authenticate(request, username=username, password=settings.DEMO_PASSWORD)
    assert [login.username for login in demo_county.logins] == ["admin", *county_roles]


def test_partition_is_deterministic_for_a_seed(yongxiu_outline):
    outline = shapely.make_valid(shapely.from_geojson(yongxiu_outline.read_text()))
    first = partition(outline, 20, random.Random(3))
    again = partition(outline, 20, random.Random(3))
    other = partition(outline, 20, random.Random(4))
    assert [c.wkb for c in first] == [c.wkb for c in again]
    assert [c.wkb for c in first] != [c.wkb for c in other]
