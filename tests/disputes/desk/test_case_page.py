"""The desk's case page: what it shows to whom, and its actions through the case's services."""

import re

import pytest
from django.test import Client

from disputes.desk.services import case_version
from disputes.models import Case, CaseEvent, PartyAccessLog
from tests.disputes.conftest import WUCHENG_01, api, tubu_committee

pytestmark = pytest.mark.django_db


def browser(user, language="zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def page(client, case_id) -> str:
    response = client.get(f"/desk/cases/{case_id}/")
    assert response.status_code == 200
    return response.content.decode()


def offered(html: str) -> list[str]:
    return re.findall(r'<details class="action" id="action-([a-z_]+)"', html)


def act(client, case_id, action, **values):
    version = case_version(Case.objects.get(pk=case_id))
    data = {f"{action}-version": version, **{f"{action}-{k}": v for k, v in values.items()}}
    return client.post(f"/desk/cases/{case_id}/do/{action}/", data)


@pytest.fixture
def township_case(report, territory):
    """A case reported in 兴杨 grid 01 and escalated to the township (涂埠镇)."""
    case_id = report().data["id"]
    for holder in ("grid_worker", "village_cadre"):
        escalated = api(territory.users[holder]).post(
            f"/api/cases/{case_id}/escalate/", {"reason": "调解不了"}, format="json"
        )
        assert escalated.status_code == 200
    return case_id


def test_a_case_outside_the_users_area_answers_404(report, territory):
    case_id = report(point=WUCHENG_01, user_key="county_office").data["id"]
    client = browser(territory.users["township_leader"])
    assert client.get(f"/desk/cases/{case_id}/").status_code == 404
    assert act(client, case_id, "note", note="x").status_code == 404
    assert client.post(f"/desk/cases/{case_id}/parties/").status_code == 404


def test_the_page_shows_only_the_actions_the_user_may_take_now(township_case, territory):
    leader = page(browser(territory.users["township_leader"]), township_case)
    assert offered(leader) == [
        "accept",
        "reject",
        "escalate",
        "supervise",
        "lead",
        "reply",
        "note",
        "attach",
    ]
    cadre = page(browser(territory.users["village_cadre"]), township_case)
    assert offered(cadre) == []
    assert "目前没有需要您处理的操作" in cadre or "Nothing for you" in cadre
    county = page(browser(territory.users["county_office"]), township_case)
    assert offered(county) == ["supervise", "lead", "mark", "reply", "note"]


def test_parties_are_masked_until_revealed_and_each_reveal_is_logged(township_case, territory):
    client = browser(territory.users["township_leader"])
    html = page(client, township_case)
    assert "张*" in html and "138****5678" in html and "张三" not in html
    assert not PartyAccessLog.objects.filter(user=territory.users["township_leader"]).exists()
    revealed = client.post(f"/desk/cases/{township_case}/parties/").content.decode()
    assert "张三" in revealed and "13812345678" in revealed and "360425199001011230" in revealed
    assert PartyAccessLog.objects.filter(user=territory.users["township_leader"]).count() == 1
    # the county office supervises but does not hold the case: masked, no button
    county = page(browser(territory.users["county_office"]), township_case)
    assert "张*" in county and 'id="reveal"' not in county
    assert (
        browser(territory.users["county_office"])
        .post(f"/desk/cases/{township_case}/parties/")
        .content.decode()
        .count("张三")
        == 0
    )


def test_accepting_assigning_resolving_following_up_and_closing_on_pages(township_case, territory):
    leader = browser(territory.users["township_leader"])
    assert act(leader, township_case, "accept", note="受理", reply="已受理").status_code == 302
    team = tubu_committee(territory, leader=territory.users["mediator"])
    html = page(leader, township_case)
    assert "assign" in offered(html) and team.name in html
    assert act(leader, township_case, "assign", team=team.pk).status_code == 302
    assert Case.objects.get(pk=township_case).team_id == team.pk
    done = act(leader, township_case, "resolve", outcome="settled", note="双方和解", reply="已调解")
    assert done.status_code == 302, done.content.decode()
    act(leader, township_case, "follow_up", satisfaction="satisfied", note="满意")
    assert act(leader, township_case, "close", note="").status_code == 302
    case = Case.objects.get(pk=township_case)
    assert (case.status, case.satisfaction) == ("closed", "satisfied")
    timeline = page(leader, township_case)
    for action in ("accept", "team", "resolve", "follow_up", "close"):
        assert f'data-action="{action}"' in timeline, action


def test_a_refused_form_says_what_is_wrong_next_to_the_field_in_chinese(township_case, territory):
    leader = browser(territory.users["township_leader"])
    response = act(leader, township_case, "reject", reason="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "该字段是必填项" in html
    assert Case.objects.get(pk=township_case).status == "reported"
    act(leader, township_case, "accept", reply="已受理")
    too_long = act(leader, township_case, "extend", days=99, reason="鉴定", reply="延期")
    assert too_long.status_code == 400 and "30" in too_long.content.decode()


def test_two_people_acting_at_once_the_second_is_told_and_nothing_happens_twice(
    township_case, territory
):
    leader = browser(territory.users["township_leader"])
    seen = case_version(Case.objects.get(pk=township_case))
    first = leader.post(
        f"/desk/cases/{township_case}/do/accept/",
        {"accept-version": seen, "accept-note": "a", "accept-reply": "已受理"},
    )
    assert first.status_code == 302
    second = browser(territory.users["township_leader"]).post(
        f"/desk/cases/{township_case}/do/note/", {"note-version": seen, "note-note": "b"}
    )
    assert second.status_code == 409
    assert "这件案件刚被他人处理，请刷新" in second.content.decode()
    assert CaseEvent.objects.filter(case_id=township_case, action="note").count() == 0


def test_a_mediator_records_a_settling_session_and_hands_the_case_back(township_case, territory):
    leader = browser(territory.users["township_leader"])
    act(leader, township_case, "accept", reply="已受理")
    team = tubu_committee(territory, leader=territory.users["mediator"])
    act(leader, township_case, "assign", team=team.pk)
    mediator = browser(territory.users["mediator"])
    assert offered(page(mediator, township_case)) == ["session", "note", "attach"]
    session = act(
        mediator,
        township_case,
        "session",
        held_on="2026-01-05",
        attendees="张三、李四",
        agreed="疏通水沟",
        outcome="settled",
    )
    assert session.status_code == 302, session.content.decode()
    # at township level the team hands the case back; the leader resolves it
    assert offered(page(mediator, township_case)) == ["session", "hand_back", "note", "attach"]
    assert act(mediator, township_case, "hand_back", note="已调解成功").status_code == 302
    assert CaseEvent.objects.filter(case_id=township_case, action="hand_back").exists()
    assert "resolve" in offered(page(leader, township_case))


def test_at_village_level_a_team_that_settled_the_case_resolves_it(report, territory):
    case_id = report().data["id"]
    worker = api(territory.users["grid_worker"])
    worker.post(f"/api/cases/{case_id}/escalate/", {"reason": "上报村"}, format="json")
    cadre = browser(territory.users["village_cadre"])
    act(cadre, case_id, "accept", reply="已受理")
    team = tubu_committee(territory, leader=territory.users["mediator"])
    leader = browser(territory.users["township_leader"])
    assert act(leader, case_id, "assign", team=team.pk).status_code == 302
    mediator = browser(territory.users["mediator"])
    act(mediator, case_id, "session", held_on="2026-01-05", attendees="双方", outcome="settled")
    assert "resolve" in offered(page(mediator, case_id))
    assert (
        act(
            mediator, case_id, "resolve", outcome="settled", note="和解", reply="已调解"
        ).status_code
        == 302
    )
    assert Case.objects.get(pk=case_id).status == "resolved"


def test_an_action_the_user_may_not_take_answers_404(township_case, territory):
    cadre = browser(territory.users["village_cadre"])
    assert act(cadre, township_case, "accept").status_code == 404
    assert act(cadre, township_case, "no_such_action").status_code == 404
