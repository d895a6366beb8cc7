"""The closed loop on pages: the desk (a township leader) and the phone (the team's leader).

A case comes up to the township; the leader finds it from the desk home, accepts it,
assigns a team from the candidates; the team's leader records a settling session
on the phone; the leader resolves it, records the return visit and closes it. Then
two people act on one case at once, and axe-core looks at every desk page.
"""

from pathlib import Path

from disputes.models import Case, CaseEvent
from tests.disputes.conftest import api, case_payload, tubu_committee
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS, phone_login, wait_for_js

pytestmark = BROWSER_MARKS
PASSWORD = "desk-2026-password"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def desk_login(browser, live_server, user, **options):
    """A desktop browser logged in through /login/ as `user`: (context, page) on its home."""
    if not user.check_password(PASSWORD):  # a new password would end the user's other sessions
        user.set_password(PASSWORD)
        user.save()
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN", base_url=live_server.url, **options
    )
    page = context.new_page()
    page.goto("/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/")
    return context, page


def township_case(territory) -> int:
    """A case a grid worker reported and the grid and the village handed up to 涂埠镇."""
    case_id = (
        api(territory.users["grid_worker"])
        .post("/api/cases/", case_payload(), format="json")
        .data["id"]
    )
    for holder in ("grid_worker", "village_cadre"):
        api(territory.users[holder]).post(
            f"/api/cases/{case_id}/escalate/", {"reason": "调解不了"}, format="json"
        )
    return case_id


def do(page, action: str, fields: dict | None = None, *, selects: dict | None = None):
    """Open an action on the case page, fill it in and send it."""
    page.click(f"#action-{action} > summary")
    for name, value in (fields or {}).items():
        page.fill(f"#id_{action}-{name}", value)
    for name, value in (selects or {}).items():
        page.select_option(f"#id_{action}-{name}", value)
    page.click(f"#action-{action} button[type=submit]")
    page.wait_for_load_state()


def test_the_loop_on_pages(browser, live_server, territory):
    ARTIFACTS.mkdir(exist_ok=True)
    case_id = township_case(territory)
    team = tubu_committee(territory, leader=territory.users["mediator"])

    context, page = desk_login(browser, live_server, territory.users["township_leader"])
    page.screenshot(path=ARTIFACTS / "desk-home.png", full_page=True)
    page.click("a[data-count=to_accept]")
    page.wait_for_selector(f"tr[data-case='{case_id}']")
    wait_for_js(page, "document.getElementById('list-map').dataset.ready === '1'")
    page.screenshot(path=ARTIFACTS / "desk-case-list.png", full_page=True)
    page.click(f"tr[data-case='{case_id}'] a")
    page.wait_for_selector("#action-accept")
    page.screenshot(path=ARTIFACTS / "desk-case-reported.png", full_page=True)

    do(page, "accept", {"reply": "您反映的问题已受理，我们将尽快处理。", "note": "属实，予以受理"})
    page.wait_for_selector(".flash.success")
    assert Case.objects.get(pk=case_id).status == "accepted"

    page.click("#action-assign > summary")
    page.click(f"button[data-pick-team='{team.pk}']")
    page.screenshot(path=ARTIFACTS / "desk-case-assign.png", full_page=True)
    page.click("#action-assign button[type=submit]")
    page.wait_for_selector("#team")
    assert Case.objects.get(pk=case_id).team_id == team.pk

    phone, mediator = phone_login(browser, live_server, territory.users["mediator"], locale="zh-CN")
    mediator.click("[data-tab=team]")
    mediator.click(f"#team-cases li.case[data-id='{case_id}']")
    mediator.wait_for_selector("#session:not([hidden])")
    mediator.fill("#session input[name=held_on]", "2026-11-21")
    mediator.fill("#session input[name=attendees]", "张三、李四、调解员王某")
    mediator.fill("#session textarea[name=agreed]", "李四三日内疏通排水沟")
    mediator.select_option("#session select[name=outcome]", "settled")
    mediator.click("#session button[type=submit]")
    wait_for_js(
        mediator, "document.getElementById('detail-timeline').textContent.includes('2026-11-21')"
    )
    # held at the township, the team hands the settled case back (no resolving of its own)
    mediator.wait_for_selector("#settled-hand-back:not([hidden])")
    assert mediator.is_hidden("#settled-resolve")
    mediator.fill("#settled textarea[name=note]", "双方已和解，请镇里办结")
    mediator.click("#settled-hand-back button")
    wait_for_js(mediator, "document.getElementById('settled').hidden")
    mediator.screenshot(path=ARTIFACTS / "desk-loop-phone-session.png", full_page=True)
    phone.close()

    page.reload()
    do(
        page,
        "resolve",
        {"note": "双方达成协议，已履行", "reply": "经调解双方达成协议，已履行完毕。"},
        selects={"outcome": "settled"},
    )
    page.wait_for_selector(".flash.success")
    page.click("#action-follow_up > summary")
    page.check("#action-follow_up input[value=satisfied]")
    page.fill("#id_follow_up-note", "回访满意")
    page.click("#action-follow_up button[type=submit]")
    page.wait_for_selector("#action-close")
    do(page, "close")
    page.wait_for_selector("#no-actions")
    page.screenshot(path=ARTIFACTS / "desk-case-closed.png", full_page=True)

    timeline = page.inner_text("#timeline")
    for text in ("受理", "2026-11-21", "办结", "回访", "归档"):
        assert text in timeline, text
    assert list(CaseEvent.objects.filter(case_id=case_id).values_list("action", flat=True)) == [
        "report",
        "escalate",
        "escalate",
        "accept",
        "team",
        "team",
        "hand_back",
        "resolve",
        "follow_up",
        "close",
    ]
    context.close()


def test_two_people_act_on_one_case_at_once(browser, live_server, territory):
    case_id = township_case(territory)
    first_context, first = desk_login(browser, live_server, territory.users["township_leader"])
    second_context, second = desk_login(browser, live_server, territory.users["township_leader"])
    for page in (first, second):
        page.goto(f"/desk/cases/{case_id}/")
    do(first, "accept", {"note": "受理", "reply": "已受理"})
    first.wait_for_selector(".flash.success")
    do(second, "reject", {"reason": "不属于受理范围", "reply": "不属于信访受理范围"})
    second.wait_for_selector("#conflict")
    assert "这件案件刚被他人处理，请刷新" in second.inner_text("#conflict")
    second.screenshot(path=ARTIFACTS / "desk-case-conflict.png", full_page=True)
    assert Case.objects.get(pk=case_id).status == "accepted"
    assert CaseEvent.objects.filter(case_id=case_id, action__in=["accept", "reject"]).count() == 1
    first_context.close()
    second_context.close()


def test_axe_finds_nothing_serious_on_the_desk_pages(browser, live_server, territory):
    case_id = township_case(territory)
    # axe is injected as a script: this context alone lifts the page's CSP for it.
    context, page = desk_login(
        browser, live_server, territory.users["township_leader"], bypass_csp=True
    )
    for path in ("/desk/", "/desk/cases/", f"/desk/cases/{case_id}/", "/login/"):
        page.goto(path)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
                 .filter(v => v.impact === "serious" || v.impact === "critical")
                 .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))"""
        )
        assert violations == [], f"{path}: {violations}"
    context.close()
