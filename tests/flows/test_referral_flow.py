"""访调诉 on pages: a township leader refers a case to a court from the desk, records the
court's reference when it arrives, and later the result; the resident's page follows."""

from django.utils import timezone

from disputes.cases.services import lifecycle
from disputes.models import Case
from disputes.referrals.models import Referral
from disputes.referrals.services.referrals import referral_refer
from tests.disputes.conftest import api, case_payload
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS, phone_login
from tests.flows.test_desk_loop import AXE, desk_login, do, township_case

pytestmark = BROWSER_MARKS
COURT = "永修县人民法院"
REFERENCE = "(2026)赣0425民诉前调88号"


def test_a_township_leader_refers_a_case_to_a_court_and_records_the_result(
    browser, live_server, territory
):
    ARTIFACTS.mkdir(exist_ok=True)
    case_id = township_case(territory)
    today = timezone.localdate().isoformat()
    context, page = desk_login(browser, live_server, territory.users["township_leader"])
    page.goto(f"/desk/cases/{case_id}/")
    do(page, "accept", {"reply": "您反映的问题已受理。"})
    page.wait_for_selector("#action-refer")

    page.click("#action-refer > summary")
    page.select_option("#id_refer-body", "court_mediation")
    page.fill("#id_refer-body_name", COURT)
    page.fill("#id_refer-referred_on", today)
    page.fill("#id_refer-note", "对方拒绝到镇调解，双方同意诉前调解")
    page.fill("#id_refer-reply", "您的纠纷已转永修县人民法院诉前调解，法院将通知您。")
    page.screenshot(path=ARTIFACTS / "referral-form.png", full_page=True)
    page.click("#action-refer button[type=submit]")
    page.wait_for_selector("#referrals")
    assert Case.objects.get(pk=case_id).status == "referred"
    assert page.inner_text("#deadline").strip() == "—"  # no time limit runs

    do(page, "referral_reference", {"reference": REFERENCE})
    page.wait_for_selector(".flash.success")
    assert REFERENCE in page.inner_text("#referrals")
    page.screenshot(path=ARTIFACTS / "referral-referred.png", full_page=True)

    # The area's referrals: the case waits there, since no time limit reminds anyone of it.
    page.click("#area-referrals")
    page.wait_for_selector(f"#awaiting tr[data-case='{case_id}']")
    page.screenshot(path=ARTIFACTS / "referral-area.png", full_page=True)
    page.click(f"#awaiting tr[data-case='{case_id}'] a")
    page.wait_for_selector("#action-referral_result")

    page.click("#action-referral_result > summary")
    page.fill("#id_referral_result-result", "经法院主持调解，双方达成协议，赔偿2000元")
    page.fill("#id_referral_result-result_on", today)
    page.check("#id_referral_result-outcome_back_0")
    page.fill("#id_referral_result-reply", "法院已调解结案，请您对结果进行评价。")
    page.click("#action-referral_result button[type=submit]")
    page.wait_for_selector(".flash.success")
    timeline = page.inner_text("#timeline")
    assert COURT in timeline and "赔偿2000元" in timeline
    page.screenshot(path=ARTIFACTS / "referral-result.png", full_page=True)
    case = Case.objects.get(pk=case_id)
    assert (case.status, case.outcome) == ("resolved", "referred")
    context.close()


def test_the_grid_worker_s_phone_keeps_a_referred_case_in_the_list(browser, live_server, territory):
    worker = territory.users["grid_worker"]
    case_id = api(worker).post("/api/cases/", case_payload(), format="json").data["id"]
    lifecycle.case_accept(case_id=case_id, actor=worker, reply="已受理")
    referral_refer(
        case_id=case_id,
        actor=worker,
        body=Referral.Body.LABOUR_ARBITRATION,
        body_name="永修县劳动人事争议仲裁委员会",
        referred_on=timezone.localdate(),
        reply="已转劳动仲裁",
    )
    context, page = phone_login(browser, live_server, worker)
    page.wait_for_selector(f"#cases li.case[data-id='{case_id}']")
    item = page.inner_text(f"#cases li.case[data-id='{case_id}']")
    assert "referred elsewhere" in item and "due" not in item
    page.screenshot(path=ARTIFACTS / "referral-phone.png", full_page=True)
    context.close()


def test_axe_finds_nothing_serious_on_the_referral_pages(browser, live_server, territory):
    case_id = township_case(territory)
    leader = territory.users["township_leader"]
    lifecycle.case_accept(case_id=case_id, actor=leader, reply="已受理")
    referral_refer(
        case_id=case_id,
        actor=leader,
        body=Referral.Body.COURT_MEDIATION,
        body_name=COURT,
        referred_on=timezone.localdate(),
        reply="已转法院诉前调解",
    )
    context, page = desk_login(browser, live_server, leader, bypass_csp=True)
    for path in ("/desk/referrals/", f"/desk/cases/{case_id}/"):
        page.goto(path)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
                 .filter(v => v.impact === "serious" || v.impact === "critical")
                 .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))"""
        )
        assert violations == [], f"{path}: {violations}"
    context.close()
