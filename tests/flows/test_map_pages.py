"""The leaders' map pages in a real browser, as each role that may open them, with no network."""

import contextlib
import json

import pytest
from django.utils import translation

from disputes.models import Case, Team
from disputes.teams.services.teams import team_save
from tests.disputes.conftest import (
    NANZHOU_01,
    WUCHENG_01,
    XINGYANG_01,
    XINGYANG_02,
    api,
    case_payload,
    tubu_committee,
)
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS, wait_for_js

pytestmark = BROWSER_MARKS


@pytest.fixture
def map_cases(territory):
    """Cases in every area, by place: six within 150 m in 兴杨 grid 01 (a cluster), one in 兴杨
    grid 02, one in 南洲, one in 吴城 (another township); 涂埠镇's mediation committee,
    led by its mediator, and 兴杨's residents' council."""
    county = api(territory.users["county_office"])

    def report(point, **payload):
        return county.post("/api/cases/", case_payload(point=point, **payload), format="json").data[
            "id"
        ]

    cases = {
        "cluster": [
            report((XINGYANG_01[0] + i * 0.0003, XINGYANG_01[1]), parties=[]) for i in range(6)
        ],
        "xingyang-02": report(XINGYANG_02),
        "nanzhou": report(NANZHOU_01),
        "wucheng": report(WUCHENG_01),
    }
    tubu_committee(territory, leader=territory.users["mediator"])
    team_save(
        team=Team(
            name="兴杨百姓参政团",
            kind=Team.Kind.RESIDENTS_COUNCIL,
            village=territory.xingyang,
            township=territory.tubu,
            base=territory.xingyang.boundary.point_on_surface,
        )
    )
    return cases


def role_page(browser, live_server, user):
    """A 1280 × 800 browser logged in as `user`, nothing allowed to leave this server: (context, page)."""
    user.set_password("lingdao-2026")
    user.save()
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
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "lingdao-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    ARTIFACTS.mkdir(exist_ok=True)
    return context, page


def watch_errors(page) -> list[str]:
    """Script errors, console errors (a CSP block is one) and failed requests, from now on."""
    errors = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
    return errors


@pytest.fixture
def leader_page(browser, live_server, territory, map_cases):
    context, page = role_page(browser, live_server, territory.users["township_leader"])
    yield page
    context.close()


def test_territory_drills_down_to_a_village(leader_page, territory):
    page = leader_page
    page.goto("/maps/territory/")
    wait_for_js(page, "document.getElementById('unit-name').textContent === '涂埠镇'")
    assert page.locator("#figures dd").first.text_content() == "8"  # open cases in 涂埠镇
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


# What each role's hotspot screen must show: the cases of its area, none of another's.
HOTSPOT_ROLES = {
    "county_office": ("cluster", "xingyang-02", "nanzhou", "wucheng"),
    "township_leader": ("cluster", "xingyang-02", "nanzhou"),
    "mediator": ("cluster", "xingyang-02", "nanzhou"),  # open cases its committee covers
    "village_cadre": ("cluster", "xingyang-02"),
    "grid_worker": ("cluster",),
}

DRAWN_CASES = """[...new Set([...document.querySelectorAll(".leaflet-tile-container path.case-point")]
  .map((p) => [...p.classList].find((c) => /^case-[0-9]+$/.test(c)).slice(5)))]
  .map(Number).sort((a, b) => a - b)"""
DRAWN_BINS = "document.querySelectorAll('.leaflet-tile-container path.case-bin').length"


def drawn_cases(page, expected: list[int]) -> list[int]:
    """The case numbers drawn once the map has drawn `expected` (or after 10 s, whatever it has)."""
    wanted = json.dumps(expected, separators=(",", ":"))
    with contextlib.suppress(AssertionError):  # the caller's assertion says what was drawn
        wait_for_js(page, f"JSON.stringify({DRAWN_CASES}) === '{wanted}'")
    return page.evaluate(DRAWN_CASES)


def click_case(page, case_id):
    box = page.locator(f"path.case-{case_id}").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


@pytest.mark.parametrize("role", HOTSPOT_ROLES)
def test_hotspots_show_each_role_its_cases(browser, live_server, territory, map_cases, role):
    places = HOTSPOT_ROLES[role]
    expected = sorted(
        case_id
        for place in places
        for case_id in (map_cases[place] if place == "cluster" else [map_cases[place]])
    )
    context, page = role_page(browser, live_server, territory.users[role])
    errors = watch_errors(page)
    page.goto("/maps/hotspots/")

    # The user's area framed, and their cases drawn at that zoom: single cases for a
    # township's or a village's users, hexagons for the county until it zooms in.
    page.wait_for_selector("#clusters li")
    framed = page.evaluate("window.gridMap.getZoom()")
    if role == "county_office":
        wait_for_js(page, f"{DRAWN_BINS} > 0")
        assert page.evaluate(DRAWN_CASES) == []
    else:
        assert drawn_cases(page, expected) == expected
    # 聚集区: the six cases of 兴杨 grid 01, the main category named.
    assert page.locator("#clusters li").count() == 1
    assert page.text_content("#clusters li") == "6 件，主要为 邻里纠纷"
    assert page.locator("#clusters-none").is_hidden()
    page.screenshot(path=ARTIFACTS / f"map-hotspots-{role}.png")

    # A filter changes what is drawn, never where the map is or its zoom.
    page.select_option("select[name=status]", "closed")
    page.wait_for_selector("#clusters-none", state="visible")
    assert page.text_content("#clusters-none").startswith("没有聚集区")
    assert page.locator("#clusters li").count() == 0
    wait_for_js(page, f"{DRAWN_BINS} === 0 && {DRAWN_CASES}.length === 0")
    page.select_option("select[name=status]", "")
    page.wait_for_selector("#clusters li")
    if role == "county_office":
        wait_for_js(page, f"{DRAWN_BINS} > 0")
    else:
        assert drawn_cases(page, expected) == expected
    assert page.evaluate("window.gridMap.getZoom()") == framed

    # Zoomed in: more zoom is always possible, and the cluster's cases are drawn one by one.
    page.locator("#clusters a").first.click()
    wait_for_js(page, "window.gridMap.getZoom() >= 15")
    page.evaluate("void window.gridMap.setZoom(17, { animate: false })")
    wait_for_js(page, "window.gridMap.getZoom() === 17")
    in_view = sorted(map_cases["cluster"])
    assert drawn_cases(page, in_view) == in_view

    # A click on a case, inside the cluster's outline, opens it: number, category, status,
    # its place; never who complained.
    case = Case.objects.select_related("category").get(pk=map_cases["cluster"][2])
    click_case(page, case.pk)
    popup = page.locator(".leaflet-popup-content .case-popup")
    popup.wait_for()
    with translation.override("zh-hans"):
        status = case.get_status_display()
    text = popup.text_content()
    assert f"#{case.pk} {case.category.name}" in text
    assert status in text and "兴杨村委会" in text
    # no party: not the role, the name, nor the phone (in full or masked)
    assert "当事人" not in text and "张" not in text
    assert "13812345678" not in text and "138****" not in text
    page.screenshot(path=ARTIFACTS / f"map-hotspots-{role}-case.png")
    assert errors == []
    context.close()


@pytest.mark.parametrize("role", ["village_cadre", "grid_worker"])
def test_coverage_shows_a_villages_users_their_village(
    browser, live_server, territory, map_cases, role
):
    context, page = role_page(browser, live_server, territory.users[role])
    errors = watch_errors(page)
    page.goto("/maps/coverage/")
    page.wait_for_selector("#gaps li")
    gaps = page.locator("#gaps li").all_text_contents()
    assert gaps and all(gap.startswith("兴杨村委会") for gap in gaps)
    assert page.text_content("#gap-count") == str(len(gaps))
    # 兴杨, coloured by its pillars, and the bases of the two teams that cover it.
    wait_for_js(page, "document.querySelectorAll('path.leaflet-interactive').length >= 1")
    assert page.locator("path.team-base").count() == 2
    assert page.evaluate("window.gridMap.getZoom()") >= 13  # the village, not the township
    page.screenshot(path=ARTIFACTS / f"map-coverage-{role}.png")
    assert errors == []
    context.close()
