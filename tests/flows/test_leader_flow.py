"""包案 on pages: the county office names a township leader as the leader of an old case;
the leader finds it on the desk home, records the meeting with the complainant, the
plan and the week's progress; the backlog page then lists it as not missing."""

from datetime import timedelta

from django.utils import timezone

from disputes.models import Case, CaseLeader
from tests.disputes.conftest import api, case_payload
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS
from tests.flows.test_desk_loop import AXE, desk_login, do

pytestmark = BROWSER_MARKS


def old_case(territory, days: int = 120) -> int:
    """A wage case reported `days` days ago in 兴杨 grid 01, still unresolved: backlog."""
    case_id = (
        api(territory.users["grid_worker"])
        .post("/api/cases/", case_payload(category="labour-wages"), format="json")
        .data["id"]
    )
    Case.objects.filter(pk=case_id).update(reported_at=timezone.now() - timedelta(days=days))
    return case_id


def test_a_leader_owns_a_backlog_case(browser, live_server, territory):
    ARTIFACTS.mkdir(exist_ok=True)
    case_id = old_case(territory)
    leader = territory.users["township_leader"]
    leader.first_name, leader.last_name = "建国", "王"
    leader.save(update_fields=["first_name", "last_name"])

    # The county office sees the case without a leader on the backlog page, and names one.
    context, page = desk_login(browser, live_server, territory.users["county_office"])
    page.goto("/desk/backlog/")
    assert page.locator(f"#backlog-cases tr[data-case='{case_id}'] .leader .overdue").count() == 1
    page.screenshot(path=ARTIFACTS / "leader-backlog-before.png", full_page=True)
    page.goto(f"/desk/cases/{case_id}/")
    page.wait_for_selector("#no-leader")
    do(
        page,
        "lead",
        {"unit": "涂埠镇人民政府", "person": "镇综治办 李明"},
        selects={"leader": str(leader.pk)},
    )
    page.wait_for_selector(".flash.success")
    assert page.inner_text("#leader-unit") == "涂埠镇人民政府"
    assert CaseLeader.objects.get(case_id=case_id, ended_at=None).leader == leader
    page.screenshot(path=ARTIFACTS / "leader-named.png", full_page=True)
    context.close()

    # The leader finds it on the desk home and records the three in person and the week's note.
    context, page = desk_login(browser, live_server, leader)
    row = page.locator(f"#led-cases tr[data-case='{case_id}']")
    assert row.count() == 1
    page.screenshot(path=ARTIFACTS / "leader-desk-home.png", full_page=True)
    row.locator("a").click()
    page.wait_for_selector("#action-meet")
    today = timezone.localdate().isoformat()
    do(page, "meet", {"met_on": today, "summary": "与信访人张三面谈，了解欠薪金额与经过"})
    page.wait_for_selector(".flash.success")
    assert page.inner_text("#step-meet") == today
    do(page, "plan", {"plan": "督促用工单位十日内结清工资，劳动保障所跟进"})
    page.wait_for_selector(".flash.success")
    do(page, "progress", {"progress": "用工单位已支付一半，余款约定下周付清"})
    page.wait_for_selector(".flash.success")
    assert page.inner_text("#step-progress") == today
    actions = [
        e.action for e in Case.objects.get(pk=case_id).events.order_by("id") if e.action != "report"
    ]
    assert actions == ["lead", "meet", "plan", "progress"]
    page.screenshot(path=ARTIFACTS / "leader-case.png", full_page=True)

    # The backlog page: led, and this week's note is in.
    page.goto("/desk/backlog/")
    assert page.locator(f"#backlog-cases tr[data-case='{case_id}'] .leader .overdue").count() == 0
    assert page.locator(f"#progress-shown li[data-case='{case_id}']").count() == 0
    assert page.locator(f"#progress-before li[data-case='{case_id}']").count() == 1
    shown = page.locator("#progress-shown")
    assert (shown.get_attribute("data-due"), shown.get_attribute("data-reported")) == ("1", "1")
    page.screenshot(path=ARTIFACTS / "leader-backlog.png", full_page=True)
    context.close()


def test_axe_finds_nothing_serious_on_the_backlog_page(browser, live_server, territory):
    case_id = old_case(territory)
    # axe is injected as a script: this context alone lifts the page's CSP for it.
    context, page = desk_login(
        browser, live_server, territory.users["county_office"], bypass_csp=True
    )
    for path in ("/desk/backlog/", f"/desk/cases/{case_id}/"):
        page.goto(path)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
                 .filter(v => v.impact === "serious" || v.impact === "critical")
                 .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))"""
        )
        assert violations == [], f"{path}: {violations}"
    context.close()
