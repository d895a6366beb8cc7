"""Supervision of the return visit (回访): a resolved case's follow-up time limit, on a frozen clock."""

from datetime import date

import pytest

from disputes.cases.services import lifecycle
from disputes.models import Case, Notification, SupervisionNotice
from disputes.oversight.services.supervision import supervision_run
from tests.disputes.conftest import api
from tests.disputes.oversight.test_supervision import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolved(report, territory, settings):
    """Reported 2026-03-02, accepted 03-03, settled 03-05 by the grid worker: follow-up due 03-20."""
    settings.SUPERVISION_ESCALATE_AFTER_DAYS = 7
    settings.CASE_FOLLOW_UP_DAYS = 15
    worker = territory.users["grid_worker"]
    with at(date(2026, 3, 2)):
        case_id = report().data["id"]
    with at(date(2026, 3, 3)):
        lifecycle.case_accept(case_id=case_id, actor=worker)
    with at(date(2026, 3, 5)):
        lifecycle.case_resolve(case_id=case_id, actor=worker, outcome="settled")
    case = Case.objects.get(pk=case_id)
    assert (case.status, case.deadline_kind, case.due_date) == (
        "resolved",
        "follow_up",
        date(2026, 3, 20),
    )
    return case


def notified(user) -> list[tuple[str, str, str]]:
    return list(
        Notification.objects.filter(user=user)
        .order_by("created_at", "id")
        .values_list("notice__kind", "notice__stage", "notice__level")
    )


def test_the_return_visit_is_due_soon_then_overdue_for_the_holder_once(resolved, territory):
    worker, cadre = territory.users["grid_worker"], territory.users["village_cadre"]
    with at(date(2026, 3, 16)):
        supervision_run()
    assert not SupervisionNotice.objects.exists()  # four days left: nothing yet

    with at(date(2026, 3, 18)):
        assert supervision_run() == 1
        supervision_run()  # the hourly job again: nothing new
    notice = SupervisionNotice.objects.get()
    assert (notice.kind, notice.stage, notice.due_date, notice.level, notice.days_overdue) == (
        "due_soon",
        "follow_up",
        date(2026, 3, 20),
        "grid",
        0,
    )
    assert notified(worker) == [("due_soon", "follow_up", "grid")]

    with at(date(2026, 3, 22)):
        supervision_run()
        supervision_run()
    overdue = SupervisionNotice.objects.get(kind="overdue")
    assert (overdue.stage, overdue.days_overdue) == ("follow_up", 2)
    assert notified(worker) == [
        ("due_soon", "follow_up", "grid"),
        ("overdue", "follow_up", "grid"),
    ]
    assert notified(cadre) == []  # within the allowance, the level above is not bothered


def test_a_long_overdue_return_visit_is_told_to_the_level_above_not_escalated(resolved, territory):
    worker, cadre = territory.users["grid_worker"], territory.users["village_cadre"]
    with at(date(2026, 3, 28)):  # 8 days overdue, past the 7 allowed
        supervision_run()
        supervision_run()
    with at(date(2026, 3, 29)):
        supervision_run()
    case = Case.objects.get(pk=resolved.pk)
    assert (case.status, case.level) == ("resolved", "grid")
    assert not case.events.filter(action="escalate").exists()
    # The one overdue notice of the deadline reaches the holder and, once, the village above.
    notice = SupervisionNotice.objects.get(kind="overdue")
    assert set(notice.notifications.values_list("user", flat=True)) == {worker.pk, cadre.pk}
    assert notified(cadre) == [("overdue", "follow_up", "grid")]
    told = case.events.filter(action="supervise", note__contains=territory.xingyang.name)
    assert told.count() == 1
    assert "8" in told.get().note
    # Not the other village's cadre, nor the other grid's worker.
    assert notified(territory.users["other_village_cadre"]) == []
    assert notified(territory.users["other_grid_worker"]) == []


def test_the_level_above_may_do_the_overdue_return_visit_and_supervision_stops(resolved, territory):
    cadre = territory.users["village_cadre"]
    with at(date(2026, 3, 28)):
        supervision_run()
        response = api(cadre).post(
            f"/api/cases/{resolved.pk}/follow-up/",
            {"satisfaction": "satisfied", "note": "电话回访"},
            format="json",
        )
    assert response.status_code == 200, response.data
    before = SupervisionNotice.objects.count()
    with at(date(2026, 4, 10)):
        assert supervision_run() == 0
    assert SupervisionNotice.objects.count() == before


def test_a_leader_supervises_a_return_visit_by_hand(resolved, territory):
    with at(date(2026, 3, 10)):
        response = api(territory.users["township_leader"]).post(
            f"/api/cases/{resolved.pk}/supervise/", {"note": "请按时回访"}, format="json"
        )
    assert response.status_code == 201, response.data
    assert (response.data["kind"], response.data["stage"], response.data["due_date"]) == (
        "manual",
        "follow_up",
        "2026-03-20",
    )
    assert notified(territory.users["grid_worker"]) == [("manual", "follow_up", "grid")]


def test_resolved_cases_count_as_overdue_in_the_case_list_while_the_visit_is_late(
    resolved, territory
):
    leader = api(territory.users["township_leader"])
    with at(date(2026, 3, 19)):
        soon = leader.get("/api/cases/", {"due": "soon"}).data["features"]
        assert [(f["id"], f["properties"]["due_state"]) for f in soon] == [
            (resolved.pk, "due_soon")
        ]
    with at(date(2026, 3, 22)):
        late = leader.get("/api/cases/", {"due": "overdue"}).data["features"]
        assert [(f["id"], f["properties"]["due_state"]) for f in late] == [(resolved.pk, "overdue")]
