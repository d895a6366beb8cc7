"""The leaders' map pages in a real browser, as a township leader, with no network."""

import pytest

from disputes.models import Team
from disputes.teams.services.teams import team_save
from tests.disputes.conftest import NANZHOU_01, XINGYANG_01, api, case_payload, tubu_committee
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS, wait_for_js

pytestmark = BROWSER_MARKS


@pytest.fixture
def leader_page(browser, live_server, territory):
    county = api(territory.users["county_office"])
    for i in range(6):
        county.post(
            "/api/cases/",
            case_payload(point=(XINGYANG_01[0] + i * 0.0003, XINGYANG_01[1]), parties=[]),
            format="json",
        )
    county.post("/api/cases/", case_payload(point=NANZHOU_01), format="json")
    county.post(
        "/api/cases/", case_payload(point=(115.92, 29.02)), format="json"
    )  # 吴城镇: not theirs
    tubu_committee(territory)
    team_save(
        team=Team(
            name="兴杨百姓参政团",
            kind=Team.Kind.RESIDENTS_COUNCIL,
            village=territory.xingyang,
            township=territory.tubu,
            base=territory.xingyang.boundary.point_on_surface,
        )
    )
    leader = territory.users["township_leader"]
    leader.set_password("lingdao-2026")
    leader.save()
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="zh-CN", base_url=live_server.url
    )
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )  # nothing may leave this server
    page = context.new_page()
    page.goto("/login/")
    page.fill("input[name=username]", leader.username)
    page.fill("input[name=password]", "lingdao-2026")
    page.click("button[type=submit]")
    ARTIFACTS.mkdir(exist_ok=True)
    yield page
    context.close()


def test_territory_drills_down_to_a_village(leader_page, territory):
    page = leader_page
    page.goto("/maps/territory/")
    wait_for_js(page, "document.getElementById('unit-name').textContent === '涂埠镇'")
    assert page.text_content("#figures").count("7") >= 1  # 7 open cases in 涂埠镇
    assert {"兴杨村委会", "南洲村委会"} <= set(page.locator(".unit-label").all_text_contents())
    page.screenshot(path=ARTIFACTS / "map-territory.png")

    box = page.locator(".unit-label", has_text="兴杨村委会").bounding_box()
    page.mouse.click(
        box["x"] + box["width"] / 2, box["y"] + box["height"] + 4
    )  # on the village, by its name
    wait_for_js(page, "document.getElementById('unit-name').textContent === '兴杨村委会'")
    assert page.locator("#crumbs li").count() == 2
    labels = page.locator(".unit-label").all_text_contents()
    assert sorted(labels) == sorted(
        territory.xingyang.grids.values_list("name", flat=True)
    )  # its two grids
    page.screenshot(path=ARTIFACTS / "map-territory-village.png")


def test_coverage_colours_villages_and_lists_the_gaps(leader_page):
    page = leader_page
    page.goto("/maps/coverage/")
    page.wait_for_selector("#gaps li")
    assert page.locator("#legend .swatch").count() == 5
    gaps = page.text_content("#gaps")
    assert "南洲村委会" in gaps and "法律顾问" in gaps
    assert page.locator("path.team-base").count() == 2
    page.locator("#gaps a").first.click()
    page.screenshot(path=ARTIFACTS / "map-coverage.png")


def test_hotspots_draws_bins_then_cases_and_the_cluster(leader_page):
    page = leader_page
    page.goto("/maps/hotspots/")
    wait_for_js(page, "document.querySelectorAll('.leaflet-tile-container svg path').length > 0")
    assert page.locator("#legend").is_visible()
    page.wait_for_selector("#clusters li")
    assert "6" in page.text_content("#clusters li")  # 6 件，主要为 邻里纠纷
    page.screenshot(path=ARTIFACTS / "map-hotspots.png")

    page.locator("#clusters a").first.click()  # fly to the cluster at village zoom: single cases
    wait_for_js(page, "window.gridMap.getZoom() >= 14.9")
    wait_for_js(page, "document.querySelectorAll('.leaflet-tile-container svg path').length >= 6")
    page.screenshot(path=ARTIFACTS / "map-hotspots-cases.png")
