"""A joint meeting on pages: the county office records it with a case and a decision for
县人力资源和社会保障局; the department's clerk (demo user department_staff) finds the
decision and marks it done; the case's timeline shows the meeting and the decision done.
"""

from datetime import timedelta

from django.utils import timezone

from disputes.meetings.services.meetings import meeting_record
from disputes.models import CaseEvent, JointMeeting, MeetingDecision
from tests.disputes.conftest import api, case_payload
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS
from tests.flows.test_desk_loop import AXE, desk_login
from villages.services.demo_county import demo_users_create

pytestmark = BROWSER_MARKS


def test_a_meeting_decision_assigned_to_a_department_and_done(
    browser, live_server, territory, settings
):
    ARTIFACTS.mkdir(exist_ok=True)
    settings.DEMO_PASSWORD = "demo-2026-password"
    demo_users_create(county=territory.county)  # county_office, department_staff (人社局) …
    users = {u.username: u for u in type(territory.users["county_office"]).objects.all()}
    case_id = (
        api(territory.users["grid_worker"])
        .post("/api/cases/", case_payload(category="labour-wages"), format="json")
        .data["id"]
    )
    today = timezone.localdate()

    context, page = desk_login(browser, live_server, users["county_office"])
    page.click("nav a[href='/desk/meetings/']")
    page.wait_for_selector("#year-count")
    page.click("#meeting-new")
    page.fill("#id_title", "县矛盾纠纷多元化解联席会议")
    page.fill("#id_held_on", (today - timedelta(days=1)).isoformat())
    page.fill("#id_units_present", "县信访局、县人社局、涂埠镇")
    page.fill("#id_minutes", "研究欠薪案件，由县人社局牵头督促企业支付。")
    page.fill("#id_case_numbers", f"#{case_id}")
    page.fill("#id_decisions-0-text", "县人社局督促企业十日内支付拖欠工资")
    page.select_option("#id_decisions-0-assignee", label="县人力资源和社会保障局")
    page.fill("#id_decisions-0-due_date", (today + timedelta(days=10)).isoformat())
    page.fill("#id_decisions-0-case_number", str(case_id))
    page.screenshot(path=ARTIFACTS / "meeting-form.png", full_page=True)
    page.click("#meeting-save")
    page.wait_for_selector("#meeting-title")
    meeting = JointMeeting.objects.get()
    decision = MeetingDecision.objects.get()
    assert page.url.endswith(f"/desk/meetings/{meeting.pk}/")
    assert page.inner_text(f"tr[data-decision='{decision.pk}']").count("县人力资源和社会保障局")
    page.screenshot(path=ARTIFACTS / "meeting-detail.png", full_page=True)
    page.goto("/desk/meetings/")
    assert page.get_attribute("#year-count", "data-held") == "1"
    page.screenshot(path=ARTIFACTS / "meeting-list.png", full_page=True)
    context.close()

    context, page = desk_login(browser, live_server, users["department_staff"])
    page.click("nav a[href='/desk/meetings/']")
    page.click("#decisions-link")
    row = f"#assigned tr[data-decision='{decision.pk}']"
    page.wait_for_selector(row)
    page.click(f"{row} details > summary")
    page.fill(f"{row} textarea[name=note]", "企业已于今日支付全部拖欠工资，当事人签字确认。")
    page.screenshot(path=ARTIFACTS / "meeting-decisions.png", full_page=True)
    page.click(f"{row} button[type=submit]")
    page.wait_for_selector(".flash.success")
    assert page.get_attribute(row, "data-state") == "done"
    context.close()
    decision.refresh_from_db()
    assert decision.done_by == users["department_staff"]

    context, page = desk_login(browser, live_server, users["county_office"])
    page.goto(f"/desk/cases/{case_id}/")
    page.wait_for_selector("#timeline li[data-action='decision']")
    assert page.is_visible("#timeline li[data-action='meeting']")
    assert "企业已于今日支付" in page.inner_text("#timeline li[data-action='decision']")
    assert page.get_attribute(
        f"#case-meetings li[data-decision='{decision.pk}']", "data-state"
    ) == ("done")
    page.screenshot(path=ARTIFACTS / "meeting-case.png", full_page=True)
    context.close()
    assert set(CaseEvent.objects.filter(case_id=case_id).values_list("action", flat=True)) >= {
        CaseEvent.Action.MEETING,
        CaseEvent.Action.DECISION,
    }


def test_axe_finds_nothing_serious_on_the_meeting_pages(browser, live_server, territory):
    case_id = (
        api(territory.users["grid_worker"])
        .post("/api/cases/", case_payload(), format="json")
        .data["id"]
    )
    today = timezone.localdate()
    meeting = meeting_record(
        actor=territory.users["county_office"],
        held_on=today,
        title="县联席会议",
        units_present="县信访局、涂埠镇",
        case_ids=[case_id],
        decisions=[
            {
                "text": "涂埠镇组织调解",
                "assignee": f"t{territory.tubu.pk}",
                "due_date": today + timedelta(days=5),
                "case_id": case_id,
            }
        ],
    )
    decision = meeting.decisions.get()
    # axe is injected as a script: this context alone lifts the page's CSP for it.
    context, page = desk_login(
        browser, live_server, territory.users["county_office"], bypass_csp=True
    )
    for path in (
        "/desk/meetings/",
        "/desk/meetings/new/",
        f"/desk/meetings/{meeting.pk}/",
        "/desk/meetings/decisions/",
        f"/desk/meetings/decisions/{decision.pk}/",
        f"/desk/cases/{case_id}/",
    ):
        page.goto(path)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
                 .filter(v => v.impact === "serious" || v.impact === "critical")
                 .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))"""
        )
        assert violations == [], f"{path}: {violations}"
    context.close()
