"""The hourly supervision (督办) on a frozen clock."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from disputes.cases.services import lifecycle
from disputes.models import Case, Notification, SupervisionNotice
from disputes.oversight.services.supervision import supervision_run

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture
def case(report, territory, settings):
    settings.SUPERVISION_ESCALATE_AFTER_DAYS = 7
    with at(date(2026, 3, 2)):
        return Case.objects.get(pk=report().data["id"])  # acceptance due 2026-03-17


def test_nothing_to_say_while_the_deadline_is_far(case):
    with at(date(2026, 3, 10)):
        supervision_run()
    assert not SupervisionNotice.objects.exists()


def test_due_soon_then_overdue_notices_reach_the_holder_once(case, territory):
    worker = territory.users["grid_worker"]
    with at(date(2026, 3, 15)):
        supervision_run()
        supervision_run()  # the hourly job runs again: nothing new
    notice = SupervisionNotice.objects.get()
    assert (notice.kind, notice.stage, notice.due_date, notice.level, notice.issued_by) == (
        "due_soon",
        "acceptance",
        date(2026, 3, 17),
        "grid",
        None,
    )
    assert notice.unit_name == territory.grids["xingyang-01"].name
    assert list(Notification.objects.values_list("user", flat=True)) == [worker.pk]

    with at(date(2026, 3, 20)):
        supervision_run()
        supervision_run()
    overdue = SupervisionNotice.objects.get(kind="overdue")
    assert overdue.days_overdue == 3
    assert Notification.objects.filter(user=worker).count() == 2
    assert Case.objects.get(pk=case.pk).events.filter(action="supervise").count() == 2
    assert Case.objects.get(pk=case.pk).level == "grid"


def test_long_overdue_cases_go_one_level_up_once(case, territory):
    with at(date(2026, 3, 25)):  # 8 days overdue
        supervision_run()
        supervision_run()
    case = Case.objects.get(pk=case.pk)
    assert case.level == "village"
    escalation = case.events.get(action="escalate")
    assert escalation.actor is None
    assert "8" in escalation.note and "督办" in escalation.note
    # At the new level its holders are told, once, and it does not climb again the same week.
    with at(date(2026, 3, 26)):
        supervision_run()
    assert Case.objects.get(pk=case.pk).level == "village"
    cadre = territory.users["village_cadre"]
    assert (
        Notification.objects.filter(
            user=cadre, notice__kind="overdue", notice__level="village"
        ).count()
        == 1
    )


def test_closed_and_handled_cases_are_left_alone(case, territory):
    lifecycle.case_reject(
        case_id=case.pk, actor=territory.users["grid_worker"], reason="不属于受理范围"
    )
    with at(date(2026, 3, 30)):
        assert supervision_run() == 0
    assert not SupervisionNotice.objects.exists()


def test_a_leader_supervises_by_hand_and_the_holder_reads_it(case, territory):
    from tests.disputes.conftest import api

    leader, worker = api(territory.users["township_leader"]), api(territory.users["grid_worker"])
    assert (
        api(territory.users["grid_worker"])
        .post(f"/api/cases/{case.pk}/supervise/", {"note": "x"})
        .status_code
        == 403
    )
    response = leader.post(
        f"/api/cases/{case.pk}/supervise/", {"note": "请三日内反馈"}, format="json"
    )
    assert response.status_code == 201
    assert (response.data["kind"], response.data["issued_by"], response.data["note"]) == (
        "manual",
        "leader_tubu",
        "请三日内反馈",
    )
    assert worker.get("/api/notifications/unread/").data == {"unread": 1}
    listed = worker.get("/api/notifications/").data
    assert listed["results"][0]["notice"]["case"] == case.pk
    assert listed["unread"] == 1  # the list carries the count: the phone asks once
    assert worker.post("/api/notifications/read/").data == {"read": 1}
    assert worker.get("/api/notifications/unread/").data == {"unread": 0}
    assert worker.get("/api/notifications/?page_size=10").data["unread"] == 0
    # The supervision list of the area, and nothing of it elsewhere.
    assert [n["case"] for n in leader.get("/api/supervision/").data["results"]] == [case.pk]
    assert (
        api(territory.users["other_township_leader"]).get("/api/supervision/").data["results"] == []
    )
