import re

import pytest
from django.urls import reverse

from grid.models import Grid
from tests.factories import GridFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model", ["villages_county", "villages_township", "villages_village", "grid_grid"]
)
def test_every_boundary_is_edited_on_an_offline_leaflet_map(admin_client, model):
    grid = GridFactory()
    obj = {
        "villages_county": grid.county,
        "villages_township": grid.township,
        "villages_village": grid.village,
        "grid_grid": grid,
    }[model]

    page = admin_client.get(reverse(f"admin:{model}_change", args=[obj.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/leaflet/leaflet.js" in html
    assert 'id="id_boundary-map"' in html
    # Nothing on the page is fetched from another host.
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "tile.openstreetmap.org" not in html


def test_a_basemap_url_is_a_setting(admin_client, settings):
    from leaflet import app_settings

    village = VillageFactory()
    url = "https://t0.tianditu.gov.cn/vec_w/wmts?tk=KEY&x={x}&y={y}&l={z}"
    original = app_settings["TILES"]
    app_settings["TILES"] = [("天地图", url, {})]
    try:
        page = admin_client.get(reverse("admin:villages_village_change", args=[village.pk]))
    finally:
        app_settings["TILES"] = original
    assert "t0.tianditu.gov.cn" in page.content.decode()


def test_lists_open_in_chinese(admin_client):
    GridFactory(name="兴杨一组网格")
    page = admin_client.get(reverse("admin:grid_grid_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert "选择 网格 来修改" in html
    assert "兴杨一组网格" in html and "兴杨村委会" in html


def test_adding_a_grid_in_the_admin_fills_its_township_and_county(admin_client):
    village = VillageFactory()
    page = admin_client.post(
        reverse("admin:grid_grid_add"),
        {
            "code": "360425100201-07",
            "name": "兴杨七组网格",
            "village": village.pk,
            "boundary": '{"type": "MultiPolygon", "coordinates": [[[[115.80, 29.00], [115.81, 29.00],'
            " [115.81, 29.01], [115.80, 29.00]]]]}",
        },
    )
    assert page.status_code == 302, page.content.decode()[-3000:]
    grid = Grid.objects.get(code="360425100201-07")
    assert (grid.township, grid.county) == (village.township, village.county)
    assert grid.boundary.area > 0
