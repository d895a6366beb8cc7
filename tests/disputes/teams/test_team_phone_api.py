"""What the team's phone screen reads and does through the API: proposals named by their case,
the case's next actions, and handing a settled case back."""

import pytest

from disputes.cases.services import lifecycle
from disputes.teams.services import assignment
from tests.disputes.conftest import api, case_payload, tubu_committee

pytestmark = pytest.mark.django_db


def test_a_proposal_names_its_case_by_category_and_village(territory):
    tubu_committee(territory, leader=territory.users["mediator"])
    case_id = (
        api(territory.users["grid_worker"])
        .post("/api/cases/", case_payload(), format="json")
        .data["id"]
    )
    lifecycle.case_accept(case_id=case_id, actor=territory.users["grid_worker"])
    assignment.assignment_propose(case_id=case_id)
    proposals = api(territory.users["mediator"]).get("/api/assignments/?status=proposed").data
    rows = proposals["results"] if isinstance(proposals, dict) else proposals
    assert rows[0]["case"] == case_id
    assert rows[0]["case_summary"] == "邻里纠纷 · 兴杨村委会"


def test_the_team_hands_a_settled_case_back_once(territory):
    team = tubu_committee(territory, leader=territory.users["mediator"])
    worker = api(territory.users["grid_worker"])
    case_id = worker.post("/api/cases/", case_payload(), format="json").data["id"]
    for holder in ("grid_worker", "village_cadre"):
        api(territory.users[holder]).post(
            f"/api/cases/{case_id}/escalate/", {"reason": "上交"}, format="json"
        )
    leader = api(territory.users["township_leader"])
    leader.post(f"/api/cases/{case_id}/accept/", {"reply": "已受理"}, format="json")
    leader.post(f"/api/cases/{case_id}/assign/", {"team": team.pk}, format="json")
    mediator = api(territory.users["mediator"])
    assert mediator.post(f"/api/cases/{case_id}/hand-back/", {}, format="json").status_code == 409
    mediator.post(
        f"/api/cases/{case_id}/sessions/",
        {"held_on": "2026-01-05", "attendees": "双方", "outcome": "settled"},
        format="json",
    )
    detail = mediator.get(f"/api/cases/{case_id}/").data["properties"]
    assert "hand_back" in detail["actions"] and "resolve" not in detail["actions"]
    handed = mediator.post(f"/api/cases/{case_id}/hand-back/", {"note": "已和解"}, format="json")
    assert handed.status_code == 200
    assert "hand_back" not in handed.data["properties"]["actions"]
    assert mediator.post(f"/api/cases/{case_id}/hand-back/", {}, format="json").status_code == 409
    assert "resolve" in leader.get(f"/api/cases/{case_id}/").data["properties"]["actions"]
