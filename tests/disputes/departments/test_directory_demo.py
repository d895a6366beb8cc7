"""The demo county's category map, so that routing in the demo suggests departments."""

import pytest

from disputes.cases.models import Category
from disputes.cases.services.categories import categories_seed
from disputes.departments.models import CategoryRoute
from disputes.departments.selectors.directory import category_map
from disputes.departments.services.directory import category_map_save, demo_category_routes

pytestmark = pytest.mark.django_db


def routes_of(county) -> set[tuple[str, str]]:
    return set(
        CategoryRoute.objects.filter(county=county).values_list(
            "category__code", "department__name"
        )
    )


@pytest.fixture(autouse=True)
def categories(db):
    categories_seed()  # a transactional test elsewhere may have flushed them


def test_the_demo_maps_the_seeded_categories_to_its_departments(demo_county):
    county = demo_county.county
    made = demo_category_routes(county=county)
    routes = routes_of(county)
    assert made == len(routes) > 0
    assert {
        ("labour-wages", "县人力资源和社会保障局"),
        ("land-housing", "县自然资源局"),
        ("construction-property", "县住房和城乡建设局"),
        ("environment", "县生态环境局"),
        ("traffic", "县公安局"),
    } <= routes
    # Only county departments: the townships' stations are theirs to route to.
    assert not CategoryRoute.objects.filter(county=county, department__township__isnull=False)
    # Run again (the demo command runs at every start): nothing changes.
    assert demo_category_routes(county=county) == 0
    assert routes_of(county) == routes


def test_the_demo_leaves_an_offices_own_map_alone(demo_county):
    county = demo_county.county
    category_map_save(county=county, routes={})
    assert category_map(county) == {}
    labour = county.departments.get(name="县人力资源和社会保障局")

    category_map_save(county=county, routes={Category.objects.get(code="other"): [labour]})
    assert demo_category_routes(county=county) == 0
    assert routes_of(county) == {("other", "县人力资源和社会保障局")}
