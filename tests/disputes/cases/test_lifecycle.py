from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from disputes.cases.deadlines import deadline_after
from disputes.models import Case, Holiday
from tests.disputes.conftest import api

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour=10):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )


NEEDS_REPLY = ("accept", "reject", "resolve", "extend")


def act(territory, user_key, case_id, action, **data):
    if action in NEEDS_REPLY:
        data.setdefault("reply", "您反映的事项我们已办理。")
    return api(territory.users[user_key]).post(
        f"/api/cases/{case_id}/{action}/", data, format="json"
    )


def props(response):
    assert response.status_code == 200, response.data
    return response.data["properties"]


def test_the_whole_life_of_a_case_with_its_deadlines(report, territory):
    start = date(2026, 3, 2)
    with at(start):
        case_id = report().data["id"]
        assert Case.objects.get().due_date == date(2026, 3, 17)  # 15 days to decide

    with at(date(2026, 3, 4)):
        p = props(act(territory, "grid_worker", case_id, "accept", note="属实，受理"))
        assert (p["status"], p["deadline_kind"], p["due_date"]) == (
            "accepted",
            "handling",
            "2026-05-03",
        )

    with at(date(2026, 4, 30)):
        listed = api(territory.users["grid_worker"]).get("/api/cases/", {"due": "soon"})
        assert [f["id"] for f in listed.data["features"]] == [case_id]
        assert listed.data["features"][0]["properties"]["due_state"] == "due_soon"

        refused = act(territory, "grid_worker", case_id, "extend", days=30, reason="需要鉴定")
        assert refused.status_code == 403
        p = props(act(territory, "township_leader", case_id, "extend", days=30, reason="需要鉴定"))
        assert (p["due_date"], p["extended_days"]) == ("2026-06-02", 30)
        assert (
            act(territory, "township_leader", case_id, "extend", days=5, reason="再延").status_code
            == 409
        )

    with at(date(2026, 6, 3)):
        overdue = api(territory.users["village_cadre"]).get("/api/cases/", {"due": "overdue"})
        assert [f["properties"]["due_state"] for f in overdue.data["features"]] == ["overdue"]

        p = props(
            act(territory, "grid_worker", case_id, "resolve", outcome="settled", note="双方和解")
        )
        # Resolved a day late; the return visit is due within CASE_FOLLOW_UP_DAYS (15).
        assert (p["status"], p["outcome"], p["resolved_on_time"]) == ("resolved", "settled", False)
        assert (p["deadline_kind"], p["due_date"]) == ("follow_up", "2026-06-18")
        p = props(
            act(territory, "village_cadre", case_id, "follow-up", satisfaction="not_satisfied")
        )
        assert p["status"] == "followed_up"
        p = props(act(territory, "grid_worker", case_id, "reopen", reason="当事人不满意，申请复查"))
        assert (p["status"], p["deadline_kind"], p["due_date"], p["reviews"]) == (
            "in_review",
            "review",
            "2026-07-03",
            1,
        )
        p = props(act(territory, "grid_worker", case_id, "resolve", outcome="partly_settled"))
        p = props(
            act(territory, "grid_worker", case_id, "follow-up", satisfaction="basically_satisfied")
        )
        assert act(territory, "grid_worker", case_id, "reopen", reason="x").status_code == 409
        p = props(act(territory, "grid_worker", case_id, "close", note="办结"))
        assert p["status"] == "closed"

    timeline = [(e["action"], e["from_status"], e["to_status"]) for e in p["timeline"]]
    assert timeline == [
        ("report", "", "reported"),
        ("accept", "reported", "accepted"),
        ("extend", "accepted", "accepted"),
        ("resolve", "accepted", "resolved"),
        ("follow_up", "resolved", "followed_up"),
        ("reopen", "followed_up", "in_review"),
        ("resolve", "in_review", "resolved"),
        ("follow_up", "resolved", "followed_up"),
        ("close", "followed_up", "closed"),
    ]
    assert p["timeline"][1]["actor"] == "gw_xingyang_01"
    assert p["timeline"][1]["note"] == "属实，受理"


def test_a_case_not_accepted_is_ended_with_its_reason(report, territory):
    case_id = report().data["id"]
    assert (
        act(territory, "grid_worker", case_id, "reject").status_code == 400
    )  # a reason is required
    p = props(act(territory, "grid_worker", case_id, "reject", reason="不属于受理范围"))
    assert (p["status"], p["due_date"]) == ("not_accepted", None)
    assert p["timeline"][-1]["note"] == "不属于受理范围"
    assert act(territory, "grid_worker", case_id, "accept").status_code == 409


def test_escalation_moves_the_case_up_one_level_at_a_time(report, territory):
    case_id = report().data["id"]
    act(territory, "grid_worker", case_id, "accept")

    p = props(act(territory, "grid_worker", case_id, "escalate", reason="网格内调解不成"))
    assert (p["level"], p["status"]) == ("village", "in_handling")
    # Only the level that holds the case may resolve it.
    assert act(territory, "grid_worker", case_id, "resolve", outcome="settled").status_code == 403
    assert (
        act(territory, "township_leader", case_id, "resolve", outcome="settled").status_code == 403
    )

    assert (
        props(act(territory, "village_cadre", case_id, "escalate", reason="村内无法化解"))["level"]
        == "township"
    )
    assert (
        props(act(territory, "township_leader", case_id, "escalate", reason="涉及多部门"))["level"]
        == "county"
    )
    top = act(territory, "county_office", case_id, "escalate", reason="再上交")
    assert top.status_code == 409
    p = props(
        act(territory, "county_office", case_id, "resolve", outcome="referred", note="引导诉讼")
    )
    assert (p["status"], p["outcome"]) == ("resolved", "referred")
    assert [e["to_level"] for e in p["timeline"]] == [
        "grid",
        "grid",
        "village",
        "township",
        "county",
        "county",
    ]


def test_a_reported_case_can_be_escalated_before_acceptance(report, territory):
    case_id = report().data["id"]
    p = props(act(territory, "grid_worker", case_id, "escalate", reason="紧急"))
    assert (p["status"], p["level"], p["deadline_kind"]) == ("reported", "village", "acceptance")
    assert props(act(territory, "village_cadre", case_id, "accept"))["status"] == "accepted"


def test_an_extension_is_one_to_thirty_days(report, territory):
    case_id = report().data["id"]
    act(territory, "grid_worker", case_id, "accept")
    too_long = act(territory, "township_leader", case_id, "extend", days=31, reason="x")
    assert too_long.status_code == 400
    assert "days" in too_long.data


class TestWorkingDays:
    @pytest.fixture(autouse=True)
    def working_days(self, settings, english):
        # English notes, whatever language an earlier test in this process left active
        settings.CASE_DEADLINE_DAYS = "working"

    def test_the_official_calendar_skips_national_day(self):
        # 2026-09-28 (Monday) + 15 working days; 10-01..10-07 are holidays.
        deadline = deadline_after(date(2026, 9, 28), 15)
        assert deadline.due == date(2026, 10, 23)
        assert deadline.note == ""

    def test_a_year_the_calendar_does_not_know_counts_weekends_only_and_says_so(self):
        deadline = deadline_after(date(2026, 12, 21), 15)
        assert deadline.due == date(2027, 1, 11)
        assert deadline.note == "no holiday calendar for 2027: weekends only"

    def test_holidays_entered_in_the_admin_are_used_for_such_a_year(self):
        Holiday.objects.create(date=date(2027, 1, 1), name="元旦")
        Holiday.objects.create(date=date(2027, 1, 4), name="元旦调休")
        deadline = deadline_after(date(2026, 12, 28), 5)
        # 12-29, 12-30, 12-31 (2026, official), then 2027: 1-1 and 1-4 off, 1-5, 1-6.
        assert deadline.due == date(2027, 1, 6)
        assert deadline.note == "holidays of 2027 as entered in the admin"

    def test_a_case_shows_the_note(self, report):
        with at(date(2026, 12, 21)):
            p = report().data["properties"]
        assert p["due_date"] == "2027-01-11"
        assert p["deadline_note"] == "no holiday calendar for 2027: weekends only"


def test_calendar_days_by_default():
    assert deadline_after(date(2026, 9, 28), 15).due == date(2026, 10, 13)


def test_due_soon_starts_three_days_before(report, territory):
    with at(date(2026, 3, 2)):
        case_id = report().data["id"]
    client = api(territory.users["grid_worker"])
    for day, state in [(13, ""), (14, "due_soon"), (17, "due_soon"), (18, "overdue")]:
        with at(date(2026, 3, day)):
            got = client.get(f"/api/cases/{case_id}/").data["properties"]["due_state"]
            assert (day, got) == (day, state)
    assert timedelta(days=15) == date(2026, 3, 17) - date(2026, 3, 2)
