"""Naming a 包案 leader, marking key and backlog cases, and the leader's three in person."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from disputes.cases.services import lifecycle
from disputes.core.errors import CaseInputError, NotAllowed, TransitionRefused
from disputes.models import CaseLeader, Notification
from disputes.ownership.services import leaders
from tests.disputes.ownership.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(reported):
    return reported(date(2026, 3, 2))


def name(case, actor, leader, unit="涂埠镇人民政府", person="王主任"):
    return leaders.leader_name(
        case_id=case.pk, actor=actor, leader_id=leader.pk, unit=unit, person=person
    )


def test_the_county_office_names_a_township_leader_who_is_told(case, territory):
    office, leader = territory.users["county_office"], territory.users["township_leader"]
    with at(date(2026, 3, 3)):
        named = name(case, office, leader)
    assert (named.leader, named.unit, named.person, named.named_by, named.ended_at) == (
        leader,
        "涂埠镇人民政府",
        "王主任",
        office,
        None,
    )
    event = case.events.get(action="lead")
    assert event.actor == office
    assert "leader_tubu" in event.note or leader.get_full_name() in event.note
    assert "涂埠镇人民政府" in event.note and "王主任" in event.note
    notification = Notification.objects.get(user=leader)
    assert notification.link == f"/desk/cases/{case.pk}/"
    assert f"#{case.pk}" in notification.message


def test_naming_again_replaces_the_leader_and_one_stays_active(case, territory):
    office = territory.users["county_office"]
    first = name(case, territory.users["township_leader"], territory.users["township_leader"])
    second = name(case, office, office, unit="县信访局", person="李局长")
    first.refresh_from_db()
    assert first.ended_at is not None and second.ended_at is None
    assert list(CaseLeader.objects.filter(case=case, ended_at=None)) == [second]
    assert "接替 leader_tubu" in case.events.filter(action="lead").latest("id").note  # replaces
    assert Notification.objects.filter(user=office).count() == 1
    # The same leader, unit and person again changes nothing.
    with pytest.raises(TransitionRefused):
        name(case, office, office, unit="县信访局", person="李局长")
    # The database holds one active leader per case whatever the code does.
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseLeader.objects.create(
            case=case,
            county=case.county,
            leader=office,
            unit="x",
            person="y",
            named_by=office,
        )


def test_who_may_name_and_who_may_be_named(case, territory):
    users = territory.users
    for actor in ("village_cadre", "grid_worker", "other_township_leader", "mediator"):
        with pytest.raises(NotAllowed):
            name(case, users[actor], users["township_leader"])
    # A leader of another township, a village cadre: not eligible.
    for leader in ("other_township_leader", "village_cadre"):
        with pytest.raises(CaseInputError) as refused:
            name(case, users["county_office"], users[leader])
        assert refused.value.field == "leader"
    with pytest.raises(CaseInputError) as refused:
        name(case, users["county_office"], users["township_leader"], unit="  ")
    assert refused.value.field == "unit"
    with pytest.raises(CaseInputError) as refused:
        name(case, users["county_office"], users["township_leader"], person="王" * 61)
    assert refused.value.field == "person"
    inactive = users["township_leader"]
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    with pytest.raises(CaseInputError):
        name(case, users["county_office"], inactive)
    assert not CaseLeader.objects.exists()


def test_the_county_office_marks_key_and_backlog_cases(case, territory):
    with pytest.raises(NotAllowed):
        leaders.case_mark(
            case_id=case.pk, actor=territory.users["township_leader"], key=True, backlog=True
        )
    office = territory.users["county_office"]
    leaders.case_mark(case_id=case.pk, actor=office, key=True, backlog=True, note="多次上访")
    case.refresh_from_db()
    assert case.is_key and case.marked_backlog
    note = case.events.get(action="note").note
    assert note.startswith("【积案】【重点】") and note.endswith("多次上访")
    with pytest.raises(TransitionRefused):
        leaders.case_mark(case_id=case.pk, actor=office, key=True, backlog=True)
    leaders.case_mark(case_id=case.pk, actor=office, key=True, backlog=False)
    assert not type(case).objects.get(pk=case.pk).marked_backlog
    assert case.events.filter(action="note").latest("id").note.startswith("【取消积案】")


def test_the_three_in_person_by_the_leader_only(case, territory):
    leader = territory.users["township_leader"]
    with pytest.raises(NotAllowed):  # not the leader yet
        leaders.leader_plan(case_id=case.pk, actor=leader, plan="分两期支付")
    name(case, territory.users["county_office"], leader)
    with at(date(2026, 3, 10)):
        with pytest.raises(CaseInputError) as refused:
            leaders.leader_meet(
                case_id=case.pk, actor=leader, met_on=date(2026, 3, 11), summary="面谈"
            )
        assert refused.value.field == "met_on"
        with pytest.raises(CaseInputError):  # before the case was reported
            leaders.leader_meet(
                case_id=case.pk, actor=leader, met_on=date(2026, 3, 1), summary="面谈"
            )
        with pytest.raises(CaseInputError):
            leaders.leader_meet(case_id=case.pk, actor=leader, met_on=date(2026, 3, 2), summary="")
        meeting = leaders.leader_meet(
            case_id=case.pk, actor=leader, met_on=date(2026, 3, 2), summary="与信访人张三面谈"
        )
        plan = leaders.leader_plan(case_id=case.pk, actor=leader, plan="分两期支付工资")
        check = leaders.leader_check(case_id=case.pk, actor=leader, progress="第一期已支付")
    assert (meeting.action, meeting.on_date, meeting.note) == (
        "meet",
        date(2026, 3, 2),
        "与信访人张三面谈",
    )
    assert (plan.action, plan.note, check.action, check.note) == (
        "plan",
        "分两期支付工资",
        "check",
        "第一期已支付",
    )
    with pytest.raises(NotAllowed):  # the county office is not the leader
        leaders.leader_check(case_id=case.pk, actor=territory.users["county_office"], progress="x")
    lifecycle.case_reject(case_id=case.pk, actor=territory.users["grid_worker"], reason="不受理")
    with pytest.raises(TransitionRefused):  # no longer open
        leaders.leader_check(case_id=case.pk, actor=leader, progress="x")


def test_weekly_progress_of_a_backlog_case(case, territory):
    users = territory.users
    with at(date(2026, 3, 20)), pytest.raises(TransitionRefused):  # not backlog yet
        leaders.progress_report(case_id=case.pk, actor=users["grid_worker"], progress="x")
    with at(date(2026, 6, 10)):  # 100 days on
        with pytest.raises(NotAllowed):  # another village's cadre
            leaders.progress_report(
                case_id=case.pk, actor=users["other_village_cadre"], progress="x"
            )
        by_holder = leaders.progress_report(
            case_id=case.pk, actor=users["grid_worker"], progress="已约双方再次调解"
        )
        by_above = leaders.progress_report(
            case_id=case.pk, actor=users["township_leader"], progress="镇里督促"
        )
    assert [by_holder.action, by_above.action] == ["progress", "progress"]
