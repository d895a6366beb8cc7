"""Two counties side by side never mix; the offices above them see both, read-only.

永修县 (360425, the `territory` fixture) and 德安县 (360426, `neighbour`) each
get one case. Every user of one county answers 404 for the other's case, its
units and its maps; 九江市 (3604) and 江西省 (36) see both, 新余市 (3605)
neither; the superuser reaches both on the maps.
"""

import mapbox_vector_tile
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import Http404
from django.test import Client
from django.utils import timezone

from config.navigation import links_for
from disputes.cases import policies
from disputes.core.areas import point_in_area, staff_in_area_q, user_counties, user_units
from disputes.models import Case
from disputes.reporting.selectors.bulletins import bulletin_units
from disputes.reporting.selectors.figures import figures_units, ranking, scope_for
from grid.selectors import point_locate
from maps.tile_cache import tile_of
from tests.disputes.conftest import DEAN_01, XINGYANG_01, api, case_payload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCAL_ROLES = ("grid_worker", "village_cadre", "township_leader", "county_office")
ABOVE = ("city_office", "province_office")


@pytest.fixture
def two(territory, neighbour):
    users = {f"yx_{role}": territory.users[role] for role in LOCAL_ROLES}
    users |= {f"da_{role}": neighbour.users[role] for role in LOCAL_ROLES}
    users |= {role: neighbour.users[role] for role in (*ABOVE, "other_city_office")}
    users["superuser"] = UserFactory(username="root", is_superuser=True, is_staff=True)
    first = api(territory.users["grid_worker"]).post(
        "/api/cases/", case_payload(point=XINGYANG_01), format="json"
    )
    second = api(neighbour.users["grid_worker"]).post(
        "/api/cases/", case_payload(point=DEAN_01), format="json"
    )
    assert (first.status_code, second.status_code) == (201, 201), (first.data, second.data)
    cases = {
        "yx": Case.objects.get(pk=first.data["id"]),
        "da": Case.objects.get(pk=second.data["id"]),
    }
    return users, cases


def sees(user_key: str, county: str) -> bool:
    return user_key.startswith(f"{county}_") or user_key in (*ABOVE, "superuser")


def browser(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_each_case_is_seen_only_in_its_county_and_above(two):
    users, cases = two
    for key, user in users.items():
        listed = {row["id"] for row in api(user).get("/api/cases/").data["features"]}
        page = browser(user)
        for county, case in cases.items():
            expected = 200 if sees(key, county) else 404
            assert api(user).get(f"/api/cases/{case.pk}/").status_code == expected, (key, county)
            assert page.get(f"/desk/cases/{case.pk}/").status_code == expected, (key, county)
            assert page.get(f"/maps/api/cases/{case.pk}/").status_code == expected, (key, county)
            assert (case.pk in listed) == sees(key, county), (key, county)


def test_a_case_never_repeats_the_other_countys(two, neighbour):
    """The same complainant (same ID number) reported in 永修县 and then in 德安县: in
    德安县 it is a first case, whose earlier case its users could not open."""
    _users, cases = two
    assert cases["da"].repeat_of_id is None
    again = api(neighbour.users["grid_worker"]).post(
        "/api/cases/", case_payload(point=DEAN_01), format="json"
    )
    assert again.data["properties"]["repeat_of"] == cases["da"].pk


def test_offices_above_the_counties_follow_but_never_act(two):
    users, cases = two
    for key in ABOVE:
        for case in cases.values():
            assert policies.supervises(users[key], case)
            assert not policies.holds(users[key], case)
            assert not policies.leads_over(users[key], case)
            for action, body in (("accept", {"reply": "已受理"}), ("reply", {"reply": "已阅"})):
                response = api(users[key]).post(f"/api/cases/{case.pk}/{action}/", body)
                assert response.status_code == 403, (key, action)
            assert not policies.acts_above(users[key], case)
            page = browser(users[key]).get(f"/desk/cases/{case.pk}/").content.decode()
            assert 'name="reply-reply"' not in page and "reply-version" not in page
    supervisor = browser(users["yx_county_office"]).get(f"/desk/cases/{cases['yx'].pk}/")
    assert "reply-version" in supervisor.content.decode()  # the county office may reply
    located = point_locate(lon=XINGYANG_01[0], lat=XINGYANG_01[1])
    assert not point_in_area(users["city_office"], located)
    response = api(users["city_office"]).post(
        "/api/cases/", case_payload(point=XINGYANG_01), format="json"
    )
    assert response.status_code == 400
    assert not policies.supervises(users["other_city_office"], cases["yx"])


def test_the_counties_of_each_user(two, territory, neighbour):
    users, _cases = two
    both = {"360425", "360426"}
    codes = lambda key: set(user_counties(users[key]).values_list("code", flat=True))  # noqa: E731
    assert codes("city_office") == codes("province_office") == codes("superuser") == both
    assert codes("other_city_office") == set()
    assert codes("yx_county_office") == {"360425"}
    assert codes("da_township_leader") == {"360426"}
    assert user_units(users["city_office"])[0] == "region"
    assert user_units(users["superuser"])[0] == "region"
    assert user_units(users["yx_county_office"]) == ("county", territory.county)


def test_maps_frame_the_region_on_its_counties(two):
    users, _cases = two
    page = browser(users["city_office"]).get("/maps/territory/")
    assert page.status_code == 200
    assert 'data-level="region" data-code="3604"' in page.content.decode()
    outlines = browser(users["city_office"]).get("/maps/api/boundaries/?level=region&code=3604")
    features = outlines.json()["features"]
    assert {f["properties"]["code"] for f in features} == {"360425", "360426"}
    assert all(f["properties"]["child"] and f["properties"]["level"] == "county" for f in features)
    figures = browser(users["city_office"]).get("/maps/api/figures/?level=region&code=3604")
    assert figures.json()["open"] == 2
    other = browser(users["other_city_office"])
    assert other.get("/maps/api/boundaries/?level=region&code=3604").status_code == 404
    assert other.get("/maps/api/boundaries/?level=region&code=3605").json()["features"] == []
    assert (
        browser(users["city_office"])
        .get("/maps/api/boundaries/?level=region&code=3605")
        .status_code
        == 404
    )


def test_the_superuser_reaches_the_second_county_on_the_maps(two):
    users, _cases = two
    root = browser(users["superuser"])
    assert 'data-level="region" data-code=""' in root.get("/maps/territory/").content.decode()
    everything = root.get("/maps/api/boundaries/?level=region&code=").json()["features"]
    assert {f["properties"]["code"] for f in everything} == {"360425", "360426"}
    assert root.get("/maps/api/boundaries/?level=county&code=360426").status_code == 200
    assert root.get("/maps/api/boundaries/?level=township&code=360426100").status_code == 200


@pytest.mark.parametrize(
    ("key", "status"),
    [
        ("da_county_office", 200),
        ("city_office", 200),
        ("province_office", 200),
        ("superuser", 200),
        ("yx_county_office", 404),
        ("yx_township_leader", 404),
        ("other_city_office", 404),
    ],
)
def test_the_second_countys_units_on_the_maps(two, key, status):
    users, _cases = two
    client = browser(users[key])
    for level, code in (
        ("county", "360426"),
        ("township", "360426100"),
        ("village", "360426100201"),
    ):
        url = f"/maps/api/boundaries/?level={level}&code={code}"
        assert client.get(url).status_code == status, (level, code)
        assert client.get(f"/maps/api/figures/?level={level}&code={code}").status_code == status


def test_a_missing_code_is_a_clear_400(two):
    users, _cases = two
    response = browser(users["city_office"]).get("/maps/api/boundaries/?level=county")
    assert response.status_code == 400
    assert "code" in response.json()


def test_figures_rank_the_counties_of_a_region(two):
    users, _cases = two
    city = users["city_office"]
    units = figures_units(city)
    assert [(level, unit.code) for level, unit in units] == [
        ("region", "3604"),
        ("county", "360425"),
        ("county", "360426"),
    ]
    assert scope_for(user=city, level="county", code="360426").unit.code == "360426"
    today = timezone.localdate()
    table = ranking(scope_for(user=city), today.replace(day=1), today)
    assert table["level"] == "county"
    ranked = {entry["code"] for entry in table["ranked"] + table["left_out"]}
    assert ranked == {"360425", "360426"}
    with pytest.raises(Http404):
        scope_for(user=users["yx_county_office"], level="county", code="360426")


def test_bulletins_of_a_region_are_its_counties(two):
    users, _cases = two
    names = lambda key: {name for _c, _t, name in bulletin_units(user=users[key])}  # noqa: E731
    assert {"永修县", "德安县"} <= names("city_office")
    assert {"永修县", "德安县"} <= names("province_office")
    assert names("other_city_office") == set()
    assert "德安县" not in names("yx_county_office")


def test_navigation_of_the_offices_above_the_counties(two):
    users, _cases = two
    names = {link["name"] for link in links_for(users["city_office"])}
    assert {"desk", "desk-cases", "figures", "bulletins", "map-territory", "supervision"} <= names
    assert not names & {"desk-register", "mobile", "desk-mailbox", "history"}
    home = browser(users["city_office"]).get("/desk/")
    assert home.status_code == 200
    text = home.content.decode()
    assert 'id="counties"' in text and 'data-code="360426"' in text
    assert 'id="counties"' not in browser(users["yx_county_office"]).get("/desk/").content.decode()
    assert browser(users["city_office"]).get("/figures/").status_code == 200
    assert browser(users["city_office"]).get("/bulletins/").status_code == 200
    assert browser(users["city_office"]).get("/desk/cases/new/").status_code == 404


def test_region_pages_and_the_figures_api_across_counties(two):
    users, _cases = two
    city = browser(users["city_office"])
    for url in ("/supervision/", "/zero-reports/", "/maps/coverage/", "/maps/hotspots/"):
        assert city.get(url).status_code == 200, url
    figures = "/api/figures/?level=county&code=360426"
    assert api(users["city_office"]).get(figures).status_code == 200
    assert api(users["province_office"]).get(figures).status_code == 200
    assert api(users["yx_county_office"]).get(figures).status_code == 404
    assert api(users["other_city_office"]).get(figures).status_code == 404
    region = api(users["city_office"]).get("/api/figures/")
    assert region.status_code == 200
    assert region.data["ranking"]["level"] == "county"


def test_no_one_acts_on_the_other_countys_case(two):
    users, cases = two
    for key in LOCAL_ROLES:
        for mine, theirs in (("yx", "da"), ("da", "yx")):
            client = api(users[f"{mine}_{key}"])
            for action, body in (("accept", {"reply": "已受理"}), ("reply", {"reply": "正在核实"})):
                response = client.post(f"/api/cases/{cases[theirs].pk}/{action}/", body)
                assert response.status_code == 404, (mine, key, action)
                assert str(cases[theirs].pk) not in response.content.decode()


def test_the_figures_csv_of_a_region(two):
    users, _cases = two
    response = browser(users["city_office"]).get("/figures/figures.csv")
    assert response.status_code == 200
    assert browser(users["other_city_office"]).get("/figures/").status_code == 200


def test_tiles_and_hotspots_hold_only_the_users_counties(two, neighbour):
    users, cases = two
    near = (DEAN_01[0] + 0.001, DEAN_01[1])
    again = api(neighbour.users["grid_worker"]).post(
        "/api/cases/", case_payload(point=near), format="json"
    )
    yx, da = {cases["yx"].pk}, {cases["da"].pk, again.data["id"]}
    cache.clear()
    x, y = tile_of(*XINGYANG_01, 7)  # zoom 7: both counties in one tile
    assert (x, y) == tile_of(*DEAN_01, 7)
    expected = {
        "yx_county_office": yx,
        "da_county_office": da,
        "city_office": yx | da,
        "province_office": yx | da,
        "other_city_office": set(),
        "superuser": yx | da,
    }
    for key, ids in expected.items():
        response = browser(users[key]).get(f"/tiles/cases/7/{x}/{y}.pbf")
        assert response.status_code == 200
        tile = mapbox_vector_tile.decode(response.content)
        assert {f["id"] for f in tile.get("cases", {}).get("features", [])} == ids, key
        # The two cases of 德安县 cluster; the one of 永修县 is alone.
        hotspots = browser(users[key]).get("/maps/api/clusters/?min_points=2&eps=500")
        assert hotspots.status_code == 200
        sizes = [f["properties"]["size"] for f in hotspots.json()["features"]]
        assert sizes == ([2] if da <= ids else []), key


def test_the_figures_of_a_region_by_its_code(two):
    users, _cases = two
    city = api(users["city_office"])
    assert city.get("/api/figures/?level=region&code=3604").data["unit"]["code"] == "3604"
    assert city.get("/api/figures/?level=region&code=36").status_code == 404
    root = api(users["superuser"]).get("/api/figures/?level=region")
    assert root.status_code == 200
    assert root.data["ranking"]["level"] == "county"
    page = browser(users["city_office"]).get("/figures/?level=region&code=3604")
    assert page.status_code == 200
    assert 'value="county:360426"' in page.content.decode()


def test_the_staff_of_a_region(two):
    users, _cases = two
    names = lambda key: set(  # noqa: E731
        get_user_model()
        .objects.filter(staff_in_area_q(users[key]))
        .values_list("username", flat=True)
    )
    province = names("province_office")
    assert {"county_office", "county_office_dean", "city_jiujiang", "city_xinyu"} <= province
    city = names("city_office")
    assert {"county_office", "county_office_dean", "gw_bali_01"} <= city
    assert not city & {"province_jiangxi", "city_xinyu"}
    assert "county_office_dean" not in names("yx_county_office")
    assert names("other_city_office") == {"city_xinyu"}
