"""转办 on a frozen clock: routing a case to a department, acceptance, return, handling,
co-handling replies, withdrawal, and who may route where."""

from datetime import date

import pytest

from disputes.cases import policies
from disputes.cases.services import lifecycle
from disputes.core.errors import CaseInputError, NotAllowed, TransitionRefused
from disputes.departments.services import routing as services
from disputes.models import Case, CaseEvent, Notification, Routing
from tests.disputes.departments.conftest import at
from villages.models import Department

pytestmark = pytest.mark.django_db

SNAPSHOT = (
    "status",
    "level",
    "department_id",
    "due_date",
    "deadline_kind",
    "deadline_basis",
    "accepted_at",
)


def snapshot(case_id):
    case = Case.objects.get(pk=case_id)
    return {field: getattr(case, field) for field in SNAPSHOT}


def route(territory, case, department, *, by="county_office", reply_by=date(2026, 4, 2), **kw):
    return services.routing_route(
        case_id=case.pk,
        actor=territory.users[by],
        department_id=department.pk,
        reply_by=reply_by,
        **kw,
    )


def test_the_county_office_routes_a_township_case_to_a_department(
    territory, departments, township_case
):
    with at(date(2026, 3, 3)):
        slip = route(
            territory,
            township_case,
            departments.labour,
            instructions="请核实欠薪情况",
            assist_ids=[departments.land.pk],
        )
    case = Case.objects.get(pk=township_case.pk)
    assert case.department == departments.labour
    assert (case.status, case.level) == ("reported", "township")
    # the department decides on acceptance within ROUTING_ACCEPT_DAYS (5)
    assert (case.deadline_kind, case.due_date) == ("acceptance", date(2026, 3, 8))
    assert (slip.role, slip.status, slip.from_level, slip.accept_by) == (
        "lead",
        "pending",
        "township",
        date(2026, 3, 8),
    )
    assert (slip.prior_status, slip.prior_due_date, slip.prior_deadline_kind) == (
        "reported",
        date(2026, 3, 17),
        "acceptance",
    )
    assist = Routing.objects.get(role="assist")
    assert (assist.department, assist.status, assist.reply_by) == (
        departments.land,
        "pending",
        date(2026, 4, 2),
    )
    event = case.events.get(action=CaseEvent.Action.ROUTE)
    for text in ("县人力资源和社会保障局", "2026-04-02", "请核实欠薪情况", "县自然资源局"):
        assert text in event.note
    for key in ("labour", "land"):
        note = Notification.objects.get(user=departments.clerks[key])
        assert note.link == f"/desk/cases/{case.pk}/" and f"#{case.pk}" in note.message
    assert not Notification.objects.filter(user=departments.clerks["tubu_station"]).exists()
    # the department holds it now; the township stands above it
    assert policies.holds(departments.clerks["labour"], case)
    assert not policies.holds(territory.users["township_leader"], case)
    assert policies.acts_above(territory.users["township_leader"], case)


def test_acceptance_is_the_cases_acceptance_and_sets_the_handling_limit(
    territory, departments, township_case
):
    with at(date(2026, 3, 3)):
        slip = route(territory, township_case, departments.labour)
    with at(date(2026, 3, 5)):
        services.routing_accept(routing_id=slip.pk, actor=departments.clerks["labour"])
    case = Case.objects.get(pk=township_case.pk)
    assert case.status == "accepted" and case.accepted_at is not None
    assert (case.deadline_kind, case.due_date) == ("handling", date(2026, 4, 2))
    assert Routing.objects.get(pk=slip.pk).status == "accepted"
    assert case.events.filter(action=CaseEvent.Action.ROUTE_TAKE).count() == 1
    with pytest.raises(TransitionRefused):  # accepted: it is no longer returned, only resolved
        services.routing_return(
            routing_id=slip.pk, actor=departments.clerks["labour"], reason="不归我们管"
        )
    with pytest.raises(NotAllowed):  # another department's clerk
        services.routing_accept(routing_id=slip.pk, actor=departments.clerks["land"])


def test_a_returned_case_is_restored_exactly_and_its_router_told(
    territory, departments, township_case
):
    before = snapshot(township_case.pk)
    with at(date(2026, 3, 3)):
        slip = route(territory, township_case, departments.labour)
    with at(date(2026, 3, 4)):
        with pytest.raises(CaseInputError):
            services.routing_return(
                routing_id=slip.pk, actor=departments.clerks["labour"], reason="  "
            )
        services.routing_return(
            routing_id=slip.pk, actor=departments.clerks["labour"], reason="属土地纠纷，非欠薪"
        )
    assert snapshot(township_case.pk) == before
    slip.refresh_from_db()
    assert (slip.status, slip.return_reason) == ("returned", "属土地纠纷，非欠薪")
    back = Case.objects.get(pk=township_case.pk).events.get(action=CaseEvent.Action.ROUTE_BACK)
    assert "属土地纠纷，非欠薪" in back.note and "县人力资源和社会保障局" in back.note
    leader = territory.users["township_leader"]
    assert Notification.objects.filter(user=leader, link=f"/desk/cases/{township_case.pk}/")
    # the township holds it again and may route it elsewhere
    with at(date(2026, 3, 4)):
        route(territory, township_case, departments.tubu_station, by="township_leader")


def test_an_accepted_case_returned_to_handling_keeps_its_acceptance(
    territory, departments, township_case
):
    with at(date(2026, 3, 3)):
        lifecycle.case_accept(
            case_id=township_case.pk, actor=territory.users["township_leader"], reply="已受理"
        )
        before = snapshot(township_case.pk)
        slip = route(territory, township_case, departments.labour)
        services.routing_withdraw(
            routing_id=slip.pk, actor=territory.users["county_office"], reason="改派"
        )
    assert snapshot(township_case.pk) == before
    assert Routing.objects.get(pk=slip.pk).status == "withdrawn"


def test_the_department_resolves_with_its_reply_and_the_township_visits(
    territory, departments, township_case
):
    clerk = departments.clerks["labour"]
    with at(date(2026, 3, 3)):
        slip = route(territory, township_case, departments.labour)
    with at(date(2026, 3, 4)):
        services.routing_accept(routing_id=slip.pk, actor=clerk)
    with at(date(2026, 3, 20)):
        lifecycle.case_resolve(
            case_id=township_case.pk,
            actor=clerk,
            outcome="settled",
            note="已责令企业支付",
            reply="经核查，企业已于3月18日足额支付工资。",
        )
    slip.refresh_from_db()
    assert slip.status == "done" and slip.replied_by == clerk
    assert slip.reply == "经核查，企业已于3月18日足额支付工资。" and slip.on_time
    case = Case.objects.get(pk=township_case.pk)
    assert case.resolved_on_time
    with pytest.raises(NotAllowed):  # the return visit is the routing unit's
        lifecycle.case_follow_up(case_id=case.pk, actor=clerk, satisfaction="satisfied")
    with at(date(2026, 3, 22)):
        lifecycle.case_follow_up(
            case_id=case.pk, actor=territory.users["township_leader"], satisfaction="satisfied"
        )
    assert Case.objects.get(pk=case.pk).status == "followed_up"


def test_co_handling_departments_reply_on_their_own_slips(territory, departments, township_case):
    with at(date(2026, 3, 3)):
        lead = route(
            territory,
            township_case,
            departments.labour,
            assist_ids=[departments.land.pk, departments.tubu_station.pk],
        )
    land = Routing.objects.get(department=departments.land)
    station = Routing.objects.get(department=departments.tubu_station)
    with at(date(2026, 3, 6)):
        services.routing_assist_reply(
            routing_id=land.pk, actor=departments.clerks["land"], reply="该地块权属清晰，无争议。"
        )
        with pytest.raises(TransitionRefused):  # the lead answers by resolving the case
            services.routing_assist_reply(
                routing_id=lead.pk, actor=departments.clerks["labour"], reply="x"
            )
        with pytest.raises(NotAllowed):
            services.routing_assist_reply(
                routing_id=station.pk, actor=departments.clerks["land"], reply="x"
            )
        services.routing_return(
            routing_id=station.pk, actor=departments.clerks["tubu_station"], reason="非本所职责"
        )
    land.refresh_from_db()
    assert (land.status, land.reply, land.replied_by) == (
        "done",
        "该地块权属清晰，无争议。",
        departments.clerks["land"],
    )
    case = Case.objects.get(pk=township_case.pk)
    assert case.department == departments.labour  # co-handling never moves the case
    assert "该地块权属清晰，无争议。" in case.events.get(action=CaseEvent.Action.ASSIST).note
    assert Routing.objects.get(pk=station.pk).status == "returned"
    with pytest.raises(TransitionRefused):  # answered once
        services.routing_assist_reply(
            routing_id=land.pk, actor=departments.clerks["land"], reply="补充"
        )


def test_a_township_leader_routes_only_to_the_townships_own_stations(
    territory, departments, township_case
):
    with at(date(2026, 3, 3)):
        for department in (departments.labour, departments.wucheng_station):
            with pytest.raises(CaseInputError) as refused:
                route(territory, township_case, department, by="township_leader")
            assert refused.value.field == "department"
        with pytest.raises(NotAllowed):  # not over this case
            route(territory, township_case, departments.wucheng_station, by="other_township_leader")
        with pytest.raises(NotAllowed):  # a village cadre does not route
            route(territory, township_case, departments.tubu_station, by="village_cadre")
        route(territory, township_case, departments.tubu_station, by="township_leader")
    assert Case.objects.get(pk=township_case.pk).department == departments.tubu_station


@pytest.mark.parametrize(
    ("reply_by", "message"),
    [
        (date(2026, 3, 3), "after today"),
        (date(2026, 3, 1), "after today"),
        (date(2026, 5, 3), "2026-05-02"),  # 60 days from 2026-03-03
    ],
)
def test_reply_by_dates_outside_the_handling_limit_are_refused(
    territory, departments, township_case, reply_by, message
):
    with at(date(2026, 3, 3)), pytest.raises(CaseInputError) as refused:
        route(territory, township_case, departments.labour, reply_by=reply_by)
    assert refused.value.field == "reply_by" and message in refused.value.message
    assert not Routing.objects.exists()


def test_departments_not_to_route_to_are_refused(territory, departments, township_case, neighbour):
    inactive = Department.objects.create(county=territory.county, name="县旧机构", active=False)
    elsewhere = Department.objects.create(county=neighbour.county, name="德安县人社局")
    with at(date(2026, 3, 3)):
        for department in (inactive, elsewhere):
            with pytest.raises(CaseInputError):
                route(territory, township_case, department)
        with pytest.raises(CaseInputError) as refused:
            route(
                territory,
                township_case,
                departments.labour,
                assist_ids=[departments.labour.pk],
            )
        assert refused.value.field == "assist"
        with pytest.raises(CaseInputError):
            route(territory, township_case, departments.labour, assist_ids=[elsewhere.pk])
        route(territory, township_case, departments.labour)
        with pytest.raises(TransitionRefused):  # held by a department already
            route(territory, township_case, departments.land)
    assert Routing.objects.count() == 1


def test_the_department_works_the_case_only_after_accepting_the_routing(
    territory, departments, township_case, report
):
    clerk = departments.clerks["labour"]
    with at(date(2026, 3, 3)):
        accepted_before = report().data["id"]
        lifecycle.case_accept(
            case_id=accepted_before, actor=territory.users["grid_worker"], reply="已受理"
        )
        for case_id in (township_case.pk, accepted_before):
            services.routing_route(
                case_id=case_id,
                actor=territory.users["county_office"],
                department_id=departments.labour.pk,
                reply_by=date(2026, 4, 2),
            )
        with pytest.raises(TransitionRefused):  # its acceptance is the routing's
            lifecycle.case_accept(case_id=township_case.pk, actor=clerk, reply="受理")
        with pytest.raises(TransitionRefused):
            lifecycle.case_reject(case_id=township_case.pk, actor=clerk, reason="x")
        with pytest.raises(TransitionRefused):
            lifecycle.case_resolve(case_id=accepted_before, actor=clerk, outcome="settled")
    assert Case.objects.get(pk=accepted_before).status == "accepted"


def test_a_late_co_handling_reply_is_pointed_out_once(territory, departments, township_case):
    with at(date(2026, 3, 3)):
        services.routing_route(
            case_id=township_case.pk,
            actor=territory.users["county_office"],
            department_id=departments.labour.pk,
            reply_by=date(2026, 3, 20),
            assist_ids=[departments.land.pk],
        )
    with at(date(2026, 3, 20)):
        assert services.routing_assist_overdue_notify() == 0
    with at(date(2026, 3, 21)):
        assert services.routing_assist_overdue_notify() == 1
        assert services.routing_assist_overdue_notify() == 1
    for user in (departments.clerks["land"], territory.users["township_leader"]):
        late = Notification.objects.filter(user=user, created_at__date=date(2026, 3, 21))
        assert late.count() == 1 and "2026-03-20" in late.get().message
    assert not Notification.objects.filter(
        user=departments.clerks["labour"], created_at__date=date(2026, 3, 21)
    ).exists()
