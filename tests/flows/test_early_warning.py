"""Seeing trouble early, on pages: a major project registered from its GeoJSON file, an
emerging-hotspot alert opened from the desk onto the framed map, and the county's targets
set and the townships' scores read."""

import json

from django.utils import timezone

from disputes.alerts.services.alerts import alerts_run
from disputes.models import AssessmentTarget, MajorProject, ProjectCase
from tests.disputes.conftest import XINGYANG_01, api, case_payload
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS, wait_for_js
from tests.flows.test_desk_loop import desk_login

pytestmark = BROWSER_MARKS

SQUARE = [
    [115.805, 29.015],
    [115.815, 29.015],
    [115.815, 29.025],
    [115.805, 29.025],
    [115.805, 29.015],
]


def _report(territory, n, category="requisition-demolition"):
    response = api(territory.users["county_office"]).post(
        "/api/cases/",
        case_payload(
            point=(XINGYANG_01[0], XINGYANG_01[1] + n * 0.0005),
            category=category,
            parties=[{"role": "complainant", "name": f"村民{n}", "phone": f"1370000{n:04d}"}],
        ),
        format="json",
    )
    assert response.status_code == 201, response.data
    return response.data["id"]


def test_the_county_registers_a_project_from_its_file(browser, live_server, territory, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    inside = _report(territory, 1)
    area = tmp_path / "红线图.geojson"
    area.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"名称": "兴杨村征地"},
                        "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
                    }
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    context, page = desk_login(browser, live_server, territory.users["county_office"])
    page.click("nav a[href='/desk/projects/']")
    page.click("#project-new")
    page.fill("#id_name", "兴杨村征地项目")
    page.select_option("#id_kind", "land")
    page.fill("#id_responsible_unit", "县自然资源局")
    page.fill("#id_assessed_on", timezone.localdate().isoformat())
    page.check("#id_risk_0")
    page.fill("#id_measures", "公示补偿标准；逐户走访")
    page.set_input_files("#id_area_file", str(area))
    page.screenshot(path=ARTIFACTS / "project-form.png", full_page=True)
    page.click("#project-save")
    page.wait_for_selector("#project-facts")
    project = MajorProject.objects.get()
    assert list(ProjectCase.objects.values_list("case_id", flat=True)) == [inside]
    assert f"#{inside}" in page.inner_text("#project-cases")
    wait_for_js(page, "document.getElementById('project-map').dataset.ready === '1'")
    page.fill("#id_note", "已召开村民代表会")
    page.click("#follow-up-form button[type=submit]")
    page.wait_for_selector(".flash.success")
    assert "已召开村民代表会" in page.inner_text("#follow-ups")
    page.screenshot(path=ARTIFACTS / "project-page.png", full_page=True)

    # The hotspot map draws the project's area.
    page.goto("/maps/hotspots/")
    page.wait_for_selector(f"path.project-{project.pk}")
    page.screenshot(path=ARTIFACTS / "project-map.png")
    context.close()


def test_a_leader_opens_an_alert_onto_the_framed_map(browser, live_server, territory):
    ARTIFACTS.mkdir(exist_ok=True)
    for n in range(6):
        _report(territory, n, category="land-housing")
    alerts = alerts_run(today=timezone.localdate())
    assert [a.village for a in alerts] == [territory.xingyang]

    context, page = desk_login(browser, live_server, territory.users["township_leader"])
    link = page.locator(".notifications a[href^='/maps/hotspots/']")
    assert "兴杨村委会" in link.inner_text() and "p = " in link.inner_text()
    page.screenshot(path=ARTIFACTS / "alert-desk.png", full_page=True)
    link.click()
    page.wait_for_url("**/maps/hotspots/**")
    assert page.get_attribute("#map", "data-level") == "village"
    assert page.get_attribute("#map", "data-code") == territory.xingyang.code
    assert page.input_value("select[name=category]") == "land-housing"
    assert page.input_value("select[name=days]") == "7"
    wait_for_js(page, "window.gridMap && window.gridMap.getZoom() > 12")
    page.screenshot(path=ARTIFACTS / "alert-map.png")
    context.close()


def test_the_county_sets_targets_and_reads_the_scores(browser, live_server, territory):
    ARTIFACTS.mkdir(exist_ok=True)
    context, page = desk_login(browser, live_server, territory.users["county_office"])
    page.click("nav a[href='/assessment/']")
    page.wait_for_selector("#assessment")
    assert "涂埠镇" in page.inner_text("#assessment") and "吴城镇" in page.inner_text("#assessment")
    page.fill("#targets-form input[name=satisfaction_rate]", "95")
    page.click("#targets-form button[type=submit]")
    page.wait_for_selector(".flash.success")
    assert AssessmentTarget.objects.get(measure="satisfaction_rate").value == 0.95
    assert "95.0%" in page.inner_text("#assessment thead")
    page.screenshot(path=ARTIFACTS / "assessment.png", full_page=True)
    context.close()
