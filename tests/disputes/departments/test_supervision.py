"""督办 of a case a department holds, on a frozen clock: the notices name the department and
reach its staff; long overdue, the unit that routed it is told once and the case stays put."""

from datetime import date

import pytest

from disputes.departments.services import routing as services
from disputes.models import Case, CaseEvent, Notification, SupervisionNotice
from disputes.oversight.services.supervision import supervision_run
from tests.disputes.departments.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(territory, departments, township_case, settings):
    """Routed by the county office on 2026-03-03: acceptance due 2026-03-08."""
    settings.SUPERVISION_ESCALATE_AFTER_DAYS = 7
    with at(date(2026, 3, 3)):
        return services.routing_route(
            case_id=township_case.pk,
            actor=territory.users["county_office"],
            department_id=departments.labour.pk,
            reply_by=date(2026, 4, 2),
        )


def test_the_acceptance_limit_passing_warns_the_department(routed, departments, territory):
    clerk = departments.clerks["labour"]
    with at(date(2026, 3, 6)):
        supervision_run()
    soon = SupervisionNotice.objects.get()
    assert (soon.kind, soon.stage, soon.due_date, soon.unit_name) == (
        "due_soon",
        "acceptance",
        date(2026, 3, 8),
        "县人力资源和社会保障局",
    )
    with at(date(2026, 3, 10)):
        supervision_run()
        supervision_run()
    overdue = SupervisionNotice.objects.get(kind="overdue")
    assert overdue.days_overdue == 2 and overdue.unit_name == "县人力资源和社会保障局"
    assert Notification.objects.filter(user=clerk, notice__isnull=False).count() == 2
    # the township is not bothered before the escalation limit
    assert not Notification.objects.filter(user=territory.users["township_leader"]).exists()


def test_long_overdue_the_routing_unit_is_told_once_and_the_case_stays(
    routed, departments, territory
):
    leader = territory.users["township_leader"]
    with at(date(2026, 3, 17)):  # 9 days past acceptance
        supervision_run()
        supervision_run()
    with at(date(2026, 3, 18)):
        supervision_run()
    case = Case.objects.get(pk=routed.case_id)
    assert (case.level, case.department_id, case.status) == (
        "township",
        departments.labour.pk,
        "reported",
    )
    assert (
        case.events.filter(action=CaseEvent.Action.ESCALATE).count() == 2
    )  # the grid's, the village's
    told = Notification.objects.filter(user=leader)
    assert told.count() == 1 and told.get().notice.kind == "overdue"
    supervise_notes = list(
        case.events.filter(action=CaseEvent.Action.SUPERVISE).values_list("note", flat=True)
    )
    assert (
        sum("涂埠镇" in note and "县人力资源和社会保障局" in note for note in supervise_notes) == 1
    )
    # the department's staff got the overdue notice too
    assert Notification.objects.filter(
        user=departments.clerks["labour"], notice__kind="overdue"
    ).exists()


def test_an_accepted_case_is_supervised_on_its_reply_by_date(routed, departments):
    with at(date(2026, 3, 4)):
        services.routing_accept(routing_id=routed.pk, actor=departments.clerks["labour"])
    with at(date(2026, 3, 20)):
        supervision_run()
    assert not SupervisionNotice.objects.exists()
    with at(date(2026, 4, 3)):
        supervision_run()
    notice = SupervisionNotice.objects.get()
    assert (notice.kind, notice.stage, notice.due_date) == ("overdue", "handling", date(2026, 4, 2))
