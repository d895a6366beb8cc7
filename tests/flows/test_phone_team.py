"""A mediation team's leader on the phone page: takes a proposed case and records a session."""

import pikepdf

from disputes.cases.services import lifecycle
from disputes.models import Assignment, Case, MediationSession
from disputes.teams.services import assignment
from tests.disputes.conftest import api, case_payload, tubu_committee
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS, phone_login, wait_for_js

pytestmark = BROWSER_MARKS


def test_a_team_leader_takes_a_case_and_records_a_session(
    browser, live_server, territory, tmp_path
):
    leader = territory.users["mediator"]
    team = tubu_committee(territory, leader=leader)
    case_id = (
        api(territory.users["grid_worker"])
        .post("/api/cases/", case_payload(), format="json")
        .data["id"]
    )
    lifecycle.case_accept(case_id=case_id, actor=territory.users["grid_worker"])
    assignment.assignment_propose(case_id=case_id)

    context, page = phone_login(browser, live_server, leader, locale="zh-CN")
    page.click("[data-tab=team]")
    page.wait_for_selector("#proposals li.proposal")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "phone-team-proposal.png", full_page=True)

    page.click("#proposals li.proposal button.primary")
    page.wait_for_selector(f"#team-cases li.case[data-id='{case_id}']")
    assert Assignment.objects.get(case_id=case_id).status == "accepted"
    assert Case.objects.get(pk=case_id).team == team

    page.click(f"#team-cases li.case[data-id='{case_id}']")
    page.wait_for_selector("#session:not([hidden])")
    agreement = tmp_path / "调解协议书.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(agreement)
    page.fill("#session input[name=held_on]", "2026-11-21")
    page.fill("#session input[name=attendees]", "张三、李四、调解员王某")
    page.fill("#session textarea[name=agreed]", "李四三日内疏通排水沟")
    page.select_option("#session select[name=outcome]", "settled")
    page.set_input_files("#session input[name=agreement]", str(agreement))
    page.click("#session button[type=submit]")
    wait_for_js(
        page, "document.getElementById('detail-timeline').textContent.includes('2026-11-21')"
    )
    page.screenshot(path=ARTIFACTS / "phone-team-session.png", full_page=True)
    context.close()

    session = MediationSession.objects.get(case_id=case_id)
    assert (session.team, session.outcome, session.agreed) == (
        team,
        "settled",
        "李四三日内疏通排水沟",
    )
    assert session.agreement.content_type == "application/pdf"
