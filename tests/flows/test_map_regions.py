"""The territory map of an office above the counties, in a real browser: it starts on its
counties' outlines and drills down into one of them as a county office's map does."""

import pytest

from tests.factories import UserFactory
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS, wait_for_js
from tests.flows.test_map_pages import role_page, watch_errors

pytestmark = BROWSER_MARKS


def unit_name_is(page, name: str):
    wait_for_js(page, f"document.getElementById('unit-name').textContent === '{name}'")


@pytest.mark.parametrize("who", ["city_office", "superuser"])
def test_a_region_starts_on_its_counties_and_drills_into_one(
    browser, live_server, territory, neighbour, who
):
    if who == "superuser":
        user = UserFactory(username="root", is_superuser=True, is_staff=True)
        start = "全部县(区)"
    else:
        user, start = neighbour.users[who], "3604 所辖县(区)"
    context, page = role_page(browser, live_server, user)
    errors = watch_errors(page)
    page.goto("/maps/territory/")
    unit_name_is(page, start)
    assert set(page.locator(".unit-label").all_text_contents()) == {"永修县", "德安县"}
    page.screenshot(path=ARTIFACTS / f"map-territory-region-{who}.png")

    box = page.locator(".unit-label", has_text="德安县").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] + 4)
    unit_name_is(page, "德安县")
    assert page.locator("#crumbs li").count() == 2
    assert page.locator(".unit-label").all_text_contents() == ["蒲亭镇"]
    assert errors == []
    context.close()
