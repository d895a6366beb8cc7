"""访调诉 on the desk's case page: offered to whom, the forms' bounds, scoping."""

import re
from datetime import date

import pytest
from django.test import Client

from disputes.desk.services import case_version
from disputes.models import Case
from disputes.referrals.models import Referral
from tests.disputes.conftest import WUCHENG_01
from tests.disputes.referrals.conftest import COURT, COURT_REFERENCE, at

pytestmark = pytest.mark.django_db
REFERRAL_ACTIONS = {"refer", "referral_reference", "referral_result"}


def browser(user, language="zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def offered(client, case_id) -> set[str]:
    response = client.get(f"/desk/cases/{case_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    return set(re.findall(r'<details class="action" id="action-([a-z_]+)"', html)) & (
        REFERRAL_ACTIONS
    )


def act(client, case_id, action, version=None, **values):
    version = case_version(Case.objects.get(pk=case_id)) if version is None else version
    data = {f"{action}-version": version, **{f"{action}-{k}": v for k, v in values.items()}}
    return client.post(f"/desk/cases/{case_id}/do/{action}/", data)


REFER = {
    "body": "court_mediation",
    "body_name": COURT,
    "referred_on": "2026-03-09",
    "reference": "",
    "note": "双方同意诉前调解",
    "reply": "已转永修县人民法院诉前调解",
}


def test_a_township_leader_refers_then_records_the_reference_and_the_result(accepted, territory):
    case_id = accepted()
    leader = browser(territory.users["township_leader"])
    with at(date(2026, 3, 10)):
        assert offered(leader, case_id) == {"refer"}
        response = act(leader, case_id, "refer", **REFER)
        assert response.status_code == 302, response.content.decode()[-3000:]
        assert offered(leader, case_id) == {"referral_reference", "referral_result"}
        assert (
            act(leader, case_id, "referral_reference", reference=COURT_REFERENCE).status_code == 302
        )
        html = leader.get(f"/desk/cases/{case_id}/").content.decode()
    assert 'id="referrals"' in html and COURT in html and COURT_REFERENCE in html
    assert 'data-action="refer"' in html and "2026-03-09" in html
    assert Case.objects.get(pk=case_id).due_date is None

    with at(date(2026, 4, 1)):
        response = act(
            leader,
            case_id,
            "referral_result",
            result="双方在法院主持下达成调解协议",
            result_on="2026-03-30",
            outcome_back="resolved",
            reply="法院已调解结案",
        )
        assert response.status_code == 302, response.content.decode()[-3000:]
        html = leader.get(f"/desk/cases/{case_id}/").content.decode()
    case = Case.objects.get(pk=case_id)
    assert (case.status, case.outcome) == ("resolved", "referred")
    assert 'data-action="refer_done"' in html and "2026-03-30" in html
    assert "双方在法院主持下达成调解协议" in html
    assert offered(leader, case_id) == set()


def test_the_grid_worker_holding_the_case_may_refer_it_the_village_cadre_may_not(
    accepted, territory
):
    case_id = accepted()
    with at(date(2026, 3, 10)):
        assert offered(browser(territory.users["grid_worker"]), case_id) == {"refer"}
        cadre = browser(territory.users["village_cadre"])
        assert offered(cadre, case_id) == set()
        assert act(cadre, case_id, "refer", **REFER).status_code == 404
    assert Case.objects.get(pk=case_id).status == "accepted"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reply": ""}, "reply", "该字段是必填项"),
        ({"body_name": ""}, "body_name", "该字段是必填项"),
        ({"referred_on": "2026-03-11"}, "referred_on", "日期不能晚于今天"),
        ({"referred_on": "2026-03-01"}, "referred_on", "移送日期不能早于案件登记日期"),
        ({"referred_on": "2026-02-30"}, "referred_on", "有效的日期"),
        ({"body": "moon_court"}, "body", "选择一个有效的选项"),
        ({"body_name": "法" * 101}, "body_name", "100"),
        ({"reference": "号" * 61}, "reference", "60"),
    ],
)
def test_a_referral_out_of_bounds_is_a_400_saying_why(accepted, territory, changes, field, message):
    case_id = accepted()
    leader = browser(territory.users["township_leader"])
    with at(date(2026, 3, 10)):
        response = act(leader, case_id, "refer", **{**REFER, **changes})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert '<details class="action" id="action-refer" open' in html
    assert Case.objects.get(pk=case_id).status == "accepted"
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"result_on": "2026-03-08"}, "结果日期不能早于移送日期（2026-03-09）"),
        ({"result_on": "2026-04-02"}, "日期不能晚于今天"),
        ({"outcome_back": "elsewhere"}, "选择一个有效的选项"),
        ({"result": ""}, "该字段是必填项"),
        ({"reply": ""}, "该字段是必填项"),
    ],
)
def test_a_result_out_of_bounds_is_a_400_saying_why(accepted, territory, changes, message):
    case_id = accepted()
    leader = browser(territory.users["township_leader"])
    with at(date(2026, 3, 10)):
        assert act(leader, case_id, "refer", **REFER).status_code == 302
    values = {
        "result": "已调解",
        "result_on": "2026-03-30",
        "outcome_back": "handling",
        "reply": "继续办理",
    }
    with at(date(2026, 4, 1)):
        response = act(leader, case_id, "referral_result", **{**values, **changes})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Case.objects.get(pk=case_id).status == "referred"


def test_a_referral_sent_from_a_page_shown_before_a_change_is_refused_409(accepted, territory):
    case_id = accepted()
    leader = browser(territory.users["township_leader"])
    shown = case_version(Case.objects.get(pk=case_id))
    with at(date(2026, 3, 10)):
        assert act(leader, case_id, "note", note="先与法院联系").status_code == 302
        response = act(leader, case_id, "refer", version=shown, **REFER)
    assert response.status_code == 409
    assert Case.objects.get(pk=case_id).status == "accepted"


def test_a_case_outside_the_area_is_404(accepted, report, territory):
    case_id = accepted()
    outsider = browser(territory.users["other_township_leader"])
    with at(date(2026, 3, 10)):
        assert outsider.get(f"/desk/cases/{case_id}/").status_code == 404
        assert act(outsider, case_id, "refer", **REFER).status_code == 404
        leader = browser(territory.users["township_leader"])
        assert act(leader, case_id, "refer", **REFER).status_code == 302
        assert act(outsider, case_id, "referral_result", result="x").status_code == 404
        # and a case of 吴城镇 is not the 涂埠镇 leader's
        wucheng = report(point=WUCHENG_01, user_key="other_township_leader").data["id"]
        assert act(leader, wucheng, "refer", **REFER).status_code == 404
    assert Referral.objects.count() == 1


def test_the_area_s_referrals_page_lists_those_awaiting_and_counts_by_body(accepted, territory):
    waiting, settled = accepted(), accepted(point=(115.812, 29.03))
    leader = browser(territory.users["township_leader"], language="en")
    with at(date(2026, 3, 10)):
        assert act(leader, waiting, "refer", **REFER).status_code == 302
        assert act(leader, settled, "refer", **REFER).status_code == 302
    with at(date(2026, 3, 20)):
        result = {
            "result": "调解成功",
            "result_on": "2026-03-19",
            "outcome_back": "resolved",
            "reply": "已结案",
        }
        assert act(leader, settled, "referral_result", **result).status_code == 302
        page = leader.get("/desk/referrals/", {"start": "2026-03-01", "end": "2026-03-31"})
        assert page.status_code == 200
        html = page.content.decode()
        assert f'data-case="{waiting}"' in html and f'data-case="{settled}"' not in html
        court = re.search(r'<tr data-body="court_mediation">(.*?)</tr>', html).group(1)
        assert re.findall(r"<td>(\d+)</td>", court) == ["2", "1", "1", "0"]
        assert (
            "All referrals of your area" in leader.get(f"/desk/cases/{waiting}/").content.decode()
        )

        # another township's leader sees none of them
        other = browser(territory.users["other_township_leader"]).get("/desk/referrals/")
        assert other.status_code == 200 and f'data-case="{waiting}"' not in other.content.decode()
        for bad in (
            {"start": "2026-03-31", "end": "2026-03-01"},
            {"start": "1999-12-31"},
            {"start": "2010-01-01", "end": "2026-03-01"},
            {"start": "2026-02-30"},
            {"end": "x" * 500},
        ):
            assert leader.get("/desk/referrals/", bad).status_code == 400, bad
    assert browser(territory.users["no_role"]).get("/desk/referrals/").status_code == 404
    assert Client().get("/desk/referrals/").status_code == 302  # to the login
