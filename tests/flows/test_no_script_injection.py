"""Text that people type reaches every page as text, never as markup that runs.

A grid worker reports a case whose description, party, address and the
names around it (village, grid, team, a supervision note) are markup that
would run script. Every page that shows them is opened in a real browser:
the markup must appear literally, no element of it may exist in the page,
nothing may have run, and the Content-Security-Policy must not have had to
block anything of ours. Exports opened in a spreadsheet show the text as
text, never as a formula.
"""

import csv
import io
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from disputes.cases.services import lifecycle
from disputes.models import Case
from disputes.oversight.services import supervision
from disputes.reporting.services import bulletins
from disputes.teams.services import assignment
from tests.disputes.conftest import XINGYANG_01, api, case_payload, tubu_committee
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS, wait_for_js

pytestmark = BROWSER_MARKS

MARKUP = '<img src="x" class="injected" onerror="window.__xss=1"><script>window.__xss=2</script>'
PARTY = '<b class="injected">张</b>三'
VILLAGE = '兴杨<b class="injected">村</b>委会'
GRID = '第一<img src="x" class="injected" onerror="window.__xss=3">网格'
TEAM = '=HYPERLINK("http://evil.example/","点击")<b class="injected">调解室</b>'

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


@pytest.fixture
def injected(territory):
    """The case and the names around it, all typed as markup."""
    territory.xingyang.name = VILLAGE
    territory.xingyang.save()
    grid = territory.grids["xingyang-01"]
    grid.name = GRID
    grid.save()
    team = tubu_committee(territory, leader=territory.users["mediator"])
    team.name = TEAM
    team.save()
    payload = case_payload(
        description=MARKUP,
        address=MARKUP[:200],
        parties=[{"role": "complainant", "name": PARTY, "phone": "13812345678"}],
    )
    case_id = api(territory.users["grid_worker"]).post("/api/cases/", payload, format="json")
    case = Case.objects.get(pk=case_id.data["id"])
    admin = get_user_model().objects.create(username="xss-admin", is_superuser=True)
    lifecycle.case_accept(case_id=case.pk, actor=territory.users["grid_worker"])
    assignment.assignment_assign(case_id=case.pk, team_id=team.pk, actor=admin)
    overdue = timezone.localdate() - timedelta(days=3)
    Case.objects.filter(pk=case.pk).update(due_date=overdue)  # on the supervision list
    supervision.notice_issue_by_hand(
        case_id=case.pk, actor=territory.users["township_leader"], note=MARKUP
    )
    return case


def watched_context(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
    context.add_init_script(WATCH)
    context.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    return context


def log_in(page, user):
    user.set_password("xss-2026")
    user.save()
    page.goto("/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "xss-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def assert_nothing_ran(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"xss-{name}.png", full_page=True)
    assert page.locator(".injected").count() == 0, f"markup became elements on {name}"
    assert page.evaluate("window.__xss") is None, f"a script ran on {name}"
    assert page.evaluate("window.__violations") == [], f"the CSP blocked something on {name}"


def test_the_phone_list_and_case_show_markup_as_text(browser, live_server, territory, injected):
    context = watched_context(browser, live_server)
    page = context.new_page()
    log_in(page, territory.users["grid_worker"])
    response = page.goto("/m/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    item = page.locator(f"#cases li.case[data-id='{injected.pk}']")
    item.wait_for()
    assert GRID in item.text_content()
    page.wait_for_selector("#notices-list li")
    assert MARKUP in page.text_content("#notices-list")  # the supervision note
    item.click()
    page.wait_for_selector("#case-detail:not([hidden])")
    assert page.text_content("#detail-description") == MARKUP
    assert PARTY in page.text_content("#detail-parties")  # the reporter sees the name unmasked
    assert TEAM in page.text_content("#detail-meta")
    page.click("[data-tab=report]")
    page.wait_for_selector(".grid-label")
    assert GRID in page.text_content(".grid-label")
    assert_nothing_ran(page, "phone")
    context.close()


def test_the_maps_show_markup_as_text(browser, live_server, territory, injected):
    context = watched_context(browser, live_server, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, territory.users["township_leader"])

    page.goto("/maps/territory/")
    wait_for_js(page, "document.querySelectorAll('.unit-label').length >= 2")
    assert VILLAGE in page.locator(".unit-label").all_text_contents()
    assert_nothing_ran(page, "territory")

    page.goto("/maps/coverage/")
    page.wait_for_selector("#gaps li")
    assert VILLAGE in page.text_content("#gaps")
    page.locator("path.team-base").first.hover()
    page.wait_for_selector(".leaflet-tooltip")
    assert TEAM in page.text_content(".leaflet-tooltip")
    assert_nothing_ran(page, "coverage")

    page.goto("/maps/hotspots/")
    # the page has framed the township and drawn its hexagons: now go to the case
    wait_for_js(page, "document.querySelectorAll('.leaflet-tile-container svg path').length > 0")
    lon, lat = XINGYANG_01
    page.evaluate(f"void window.gridMap.setView([{lat}, {lon}], 16, {{ animate: false }})")
    wait_for_js(page, "window.gridMap.getZoom() === 16")
    x, y = page.evaluate(
        f"""(() => {{
          const p = window.gridMap.latLngToContainerPoint([{lat}, {lon}]);
          const r = document.getElementById("map").getBoundingClientRect();
          return [r.left + p.x, r.top + p.y];
        }})()"""
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    description = page.locator(".leaflet-popup-content .description")
    for _attempt in range(10):  # until the tile with the case is drawn
        page.mouse.click(x, y)
        try:
            description.wait_for(timeout=2000)
            break
        except PlaywrightTimeout:
            continue
    popup = page.locator(".leaflet-popup-content")
    assert page.text_content(".leaflet-popup-content .description") == MARKUP
    assert GRID in popup.text_content()
    assert_nothing_ran(page, "hotspots")
    assert errors == []
    context.close()


def test_the_leaders_pages_show_markup_as_text(browser, live_server, territory, injected):
    bulletin = bulletins.bulletin_generate(
        county_id=territory.county.pk,
        township_id=territory.tubu.pk,
        month=date.today().replace(day=1),
        language="zh-hans",
    )
    context = watched_context(browser, live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, territory.users["township_leader"])

    page.goto("/supervision/")
    page.wait_for_selector(f"#case-{injected.pk}")
    assert GRID in page.text_content(f"#case-{injected.pk}")
    assert_nothing_ran(page, "supervision")

    page.goto(f"/bulletins/{bulletin.pk}/")
    assert VILLAGE in page.text_content("body")
    assert_nothing_ran(page, "bulletin")
    context.close()


def test_exports_open_in_a_spreadsheet_as_text(browser, live_server, territory, injected):
    context = watched_context(browser, live_server, accept_downloads=True)
    page = context.new_page()
    log_in(page, territory.users["township_leader"])
    page.goto("/exports/")
    files = {}
    for file_format in ("csv", "xlsx"):
        page.select_option("select[name=format]", file_format)
        with page.expect_download() as download:
            page.click("#export-form button[type=submit]")
        files[file_format] = download.value.path().read_bytes()
    assert_nothing_ran(page, "exports")
    context.close()

    rows = list(csv.DictReader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    (row,) = rows
    team_cell = next(value for value in row.values() if "HYPERLINK" in value)
    assert team_cell == "'" + TEAM  # a spreadsheet shows it as text

    sheet = load_workbook(io.BytesIO(files["xlsx"])).active
    cells = [cell for cell in sheet[2] if cell.value and "HYPERLINK" in str(cell.value)]
    assert [(cell.value, cell.data_type) for cell in cells] == [(TEAM, "s")]
