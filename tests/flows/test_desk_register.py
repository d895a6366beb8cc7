"""A township leader registers a visit filed by an agent (代办) at the desk and prints the receipt,
in a real browser (Debian's chromium) with no network, as a person would.

A grid worker reported the same complainant a week before: the page shows it as a possible
repeat before saving. Screenshots of each step go to test-artifacts/.
"""

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from disputes.cases.query_codes import query_code_matches
from disputes.models import Case
from tests.disputes.conftest import XINGYANG_01, api, case_payload
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS, wait_for_js

pytestmark = BROWSER_MARKS
PASSWORD = "lingdao-2026"
ID_NUMBER = "360425199001011230"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def serious_violations(page, exclude=()) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now.

    The script is evaluated through DevTools, which the page's CSP does not govern.
    """
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async (exclude) => {
          const context = exclude.length ? { exclude: exclude.map((s) => [s]) } : document;
          const result = await axe.run(context);
          return result.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).join(", "));
        }""",
        list(exclude),
    )


@pytest.fixture
def desk(browser, live_server, territory):
    leader = territory.users["township_leader"]
    leader.set_password(PASSWORD)
    leader.save()
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN", base_url=live_server.url
    )
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )  # nothing may leave this server
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    page.goto("/login/")
    page.fill("input[name=username]", leader.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/")
    ARTIFACTS.mkdir(exist_ok=True)
    yield page, errors
    context.close()


def click_map_at(page, lon: float, lat: float):
    """Click the registration map where (lon, lat) is drawn."""
    x, y = page.evaluate(
        "([lat, lon]) => { const p = window.registerMap.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }",
        [lat, lon],
    )
    box = page.locator("#register-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_a_leader_registers_a_visit_by_an_agent_and_prints_the_receipt(desk, territory):
    page, errors = desk
    earlier = api(territory.users["grid_worker"]).post("/api/cases/", case_payload(), format="json")
    assert earlier.status_code == 201

    # The desk's home leads to the form (登记案件).
    page.click("#register")
    page.wait_for_url("**/desk/cases/new/")
    wait_for_js(page, "document.getElementById('register-map').dataset.ready === '1'")
    assert page.locator("#register-map path.leaflet-interactive").count() >= 3  # 涂埠镇, villages

    # 来访, filed by an agent for the resident.
    page.check("input[name=channel][value=visit]")
    assert page.locator("#ticket").is_hidden()  # the 12345 ticket only for the hotline
    page.click("#agent summary")
    page.fill("input[name=agent_name]", "王五")
    page.fill("input[name=agent_unit]", "涂埠镇信访代办站")
    page.fill("input[name=agent_phone]", "13700001111")

    # The place: find the village by name, then click the map in it.
    page.fill("#place-search", "兴杨")
    page.wait_for_selector("#places .place-hit")
    page.click("#places .place-hit")
    click_map_at(page, XINGYANG_01[0] + 0.0004, XINGYANG_01[1])
    page.wait_for_selector("#place-found")
    assert "兴杨村委会" in page.text_content("#place-found")
    assert page.input_value("input[name=point]").startswith("115.81")

    page.select_option("select[name=category]", "neighbours")
    page.fill(
        "textarea[name=description]", "排水沟堵塞，雨天积水漫进院子，与邻居多次争执，请求协调疏通"
    )
    page.fill("input[name=party-0-name]", "张三")
    page.fill("input[name=party-0-phone]", "13812345678")
    page.fill("input[name=party-0-id_number]", ID_NUMBER)
    page.fill("input[name=party-1-name]", "李四")
    page.click("#add-party")
    page.fill("input[name=party-2-name]", "李四之妻")
    page.select_option("select[name=party-2-role]", "other")
    page.click("h2 >> nth=0")  # leave the field: the form's change asks for the check

    # Before saving: the grid worker's earlier case of the same complainant.
    row = f"#repeat-list tr[data-case='{earlier.data['id']}']"
    page.wait_for_selector(row)
    assert "张*" in page.text_content(row)
    page.screenshot(path=ARTIFACTS / "desk-register-form.png", full_page=True)
    assert serious_violations(page) == []

    page.click("#save")
    page.wait_for_selector("#receipt-link")
    case = Case.objects.exclude(pk=earlier.data["id"]).get()
    assert page.url.endswith(f"/desk/cases/{case.pk}/")
    assert (case.channel, case.agent_name, case.agent_phone) == ("visit", "王五", "13700001111")
    assert case.repeat_of_id == earlier.data["id"] and case.parties.count() == 3
    assert case.grid.code == "360425100201-01"
    assert "王*" in page.text_content("#agent") and "137****1111" in page.text_content("#agent")
    page.screenshot(path=ARTIFACTS / "desk-register-saved.png", full_page=True)
    # The case page's own map (role=img around Leaflet's zoom buttons: nested-interactive)
    # belongs to the case page's work; what registration added to the page is checked.
    assert serious_violations(page, exclude=["#case-map"]) == []

    page.click("#receipt-link")
    page.wait_for_selector("#receipt")
    code = page.text_content("#query-code").strip()
    assert query_code_matches(Case.objects.get(pk=case.pk).query_code_hash, code)
    assert page.text_content("#receipt-case").strip() == str(case.pk)
    page.screenshot(path=ARTIFACTS / "desk-receipt.png", full_page=True)
    assert serious_violations(page) == []

    pdf = page.request.get(page.get_attribute("#receipt-pdf", "href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    (ARTIFACTS / "desk-receipt.pdf").write_bytes(pdf.body())
    with pikepdf.open(io.BytesIO(pdf.body())) as document:
        x0, y0, x1, y1 = (float(v) for v in document.pages[0].mediabox)
        assert (x1 - x0, y1 - y0) == pytest.approx((419.53, 595.28), abs=1)  # A5
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.body(), capture_output=True, check=True
    ).stdout.decode()
    assert str(case.pk) in text and code in text and "涂埠镇" in text
    assert re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert not errors, errors
