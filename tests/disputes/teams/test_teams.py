"""Teams: coverage of the 三治 pillars, and proposing the nearest suitable team for a case."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.contrib.gis.geos import Point
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from disputes.cases.services import lifecycle
from disputes.core.errors import CaseInputError, NotAllowed
from disputes.models import Assignment, Case, Category, Team
from disputes.teams.selectors import coverage_report
from disputes.teams.services import assignment
from disputes.teams.services.teams import team_save
from tests.disputes.conftest import XINGYANG_01, api
from tests.factories import UserFactory, box

pytestmark = pytest.mark.django_db

# Metres per degree near 29°N.
M_LON, M_LAT = 97_400, 110_850


def east_of(point, metres):
    return Point(point[0] + metres / M_LON, point[1], srid=4326)


@pytest.fixture
def make_team(territory):
    def _make(
        name,
        kind,
        *,
        village=None,
        township=None,
        base=XINGYANG_01,
        capacity=5,
        categories=None,
        radius=None,
        polygon=None,
        active=True,
        leader=None,
    ):
        base = base if isinstance(base, Point) else Point(*base, srid=4326)
        team = Team(
            name=name,
            kind=kind,
            village=village,
            township=township or (village.township if village else territory.tubu),
            base=base,
            capacity=capacity,
            service_radius_m=radius,
            service_polygon=polygon,
            active=active,
        )
        cats = None if categories is None else list(Category.objects.filter(code__in=categories))
        return team_save(team=team, categories=cats, leader=leader)

    return _make


class TestCoverage:
    def test_pillars_and_gaps_village_by_village(self, territory, make_team):
        K = Team.Kind
        make_team("兴杨百姓参政团", K.RESIDENTS_COUNCIL, village=territory.xingyang)
        make_team("兴杨法律明白人", K.LEGAL_VILLAGER, village=territory.xingyang)
        make_team(
            "涂埠大家来评理", K.REASONING_PANEL, township=territory.tubu
        )  # moral, whole township
        make_team("涂埠法律顾问", K.LEGAL_ADVISER, township=territory.tubu)
        # A circle that catches only part of 南洲 does not cover it; an inactive team counts for nothing.
        make_team(
            "南洲边上的参政团",
            K.RESIDENTS_COUNCIL,
            village=territory.xingyang,
            base=(115.80, 29.025),
            radius=1500,
        )
        make_team("南洲停用的明白人", K.LEGAL_VILLAGER, village=territory.nanzhou, active=False)

        report = coverage_report(township_ids=[territory.tubu.pk, territory.wucheng.pk])

        villages = {v["code"]: v for v in report["villages"]}
        assert villages["360425100201"]["pillars"] == ["self", "moral", "law"]
        assert villages["360425100201"]["missing"] == []
        assert villages["360425100201"]["legal_villager"] is True
        assert villages["360425100202"]["pillars"] == [
            "moral",
            "law",
        ]  # the township adviser is 法治
        assert villages["360425100202"]["missing"] == ["self"]
        assert villages["360425100202"]["legal_villager"] is False
        assert villages["360425101201"]["missing"] == ["self", "moral", "law"]
        townships = {t["code"]: t for t in report["townships"]}
        assert townships["360425100"]["legal_adviser"] is True
        assert townships["360425101"]["legal_adviser"] is False
        assert report["gaps"] == [
            {"kind": "pillar", "code": "360425100202", "name": "南洲村委会", "missing": ["self"]},
            {"kind": "legal_villager", "code": "360425100202", "name": "南洲村委会"},
            {
                "kind": "pillar",
                "code": "360425101201",
                "name": "吴城村委会",
                "missing": ["self", "moral", "law"],
            },
            {"kind": "legal_villager", "code": "360425101201", "name": "吴城村委会"},
            {"kind": "legal_adviser", "code": "360425101", "name": "吴城镇"},
        ]

    def test_the_coverage_api_is_scoped_to_the_user(self, territory, make_team):
        make_team("涂埠法律顾问", Team.Kind.LEGAL_ADVISER, township=territory.tubu)
        leader = api(territory.users["township_leader"]).get("/api/coverage/").json()
        assert {v["code"][:9] for v in leader["villages"]} == {"360425100"}
        county = api(territory.users["county_office"]).get("/api/coverage/").json()
        assert {t["code"] for t in county["townships"]} == {"360425100", "360425101"}
        other = api(territory.users["other_township_leader"]).get(
            "/api/coverage/", {"township": "360425100"}
        )
        assert other.status_code == 404


@pytest.fixture
def accepted_case(report, territory):
    case_id = report().data["id"]
    lifecycle.case_accept(case_id=case_id, actor=territory.users["grid_worker"])
    return Case.objects.get(pk=case_id)


class TestRanking:
    def test_nearest_with_room_that_takes_the_category_first(
        self, territory, make_team, accepted_case
    ):
        K = Team.Kind
        near = make_team("1 km", K.MEDIATION_COMMITTEE, base=east_of(XINGYANG_01, 1000))
        make_team(
            "500 m but full", K.MEDIATION_COMMITTEE, base=east_of(XINGYANG_01, 500), capacity=0
        )
        make_team(
            "300 m but inactive",
            K.MEDIATION_COMMITTEE,
            base=east_of(XINGYANG_01, 300),
            active=False,
        )
        make_team(
            "200 m, traffic only",
            K.MEDIATION_STUDIO,
            base=east_of(XINGYANG_01, 200),
            categories=["traffic"],
        )
        make_team(
            "12 km, out of range",
            K.MEDIATION_STUDIO,
            base=east_of(XINGYANG_01, 12_000),
            township=territory.wucheng,
            radius=500,
        )
        covering = make_team(
            "15 km, its area covers the point",
            K.MEDIATION_STUDIO,
            base=east_of(XINGYANG_01, 15_000),
            polygon=box(115.80, 29.00, 115.82, 29.04),
        )
        takes_neighbours = make_team(
            "2 km, neighbours only",
            K.MEDIATION_STUDIO,
            base=east_of(XINGYANG_01, 2000),
            categories=["neighbours"],
        )

        ranked = assignment.team_candidates(case_id=accepted_case.pk, limit=10)

        assert [row[0] for row in ranked] == [near.pk, takes_neighbours.pk, covering.pk]
        assert ranked[0][1] == pytest.approx(1000, rel=0.01)

    def test_equal_distance_goes_to_the_least_loaded(self, territory, make_team, accepted_case):
        busy = make_team("busy", Team.Kind.MEDIATION_COMMITTEE, base=east_of(XINGYANG_01, 800))
        idle = make_team("idle", Team.Kind.MEDIATION_COMMITTEE, base=east_of(XINGYANG_01, 800))
        Team.objects.filter(pk=busy.pk).update(load=3)
        assert [row[0] for row in assignment.team_candidates(case_id=accepted_case.pk)] == [
            idle.pk,
            busy.pk,
        ]


class TestProposals:
    def test_accepting_a_case_proposes_the_nearest_team(
        self, report, territory, make_team, eager, django_capture_on_commit_callbacks
    ):
        team = make_team(
            "兴杨调委会", Team.Kind.MEDIATION_COMMITTEE, base=east_of(XINGYANG_01, 400)
        )
        case_id = report().data["id"]
        with django_capture_on_commit_callbacks(execute=True):
            lifecycle.case_accept(case_id=case_id, actor=territory.users["grid_worker"])

        proposal = Assignment.objects.get(case_id=case_id)
        assert (proposal.team, proposal.status) == (team, "proposed")
        assert proposal.answer_due == pytest.approx(
            proposal.proposed_at + timedelta(hours=24), abs=timedelta(seconds=5)
        )
        assert Team.objects.get(pk=team.pk).load == 1
        assert "兴杨调委会" in Case.objects.get(pk=case_id).events.last().note

    def test_running_the_proposal_twice_makes_one(self, make_team, accepted_case):
        make_team("A", Team.Kind.MEDIATION_COMMITTEE)
        first = assignment.assignment_propose(case_id=accepted_case.pk)
        again = assignment.assignment_propose(case_id=accepted_case.pk)
        assert first == again
        assert Assignment.objects.filter(case=accepted_case).count() == 1

    def test_the_leader_accepts_and_the_case_is_handled_by_the_team(
        self, territory, make_team, accepted_case
    ):
        leader = UserFactory(username="laowang")
        team = make_team("老王调解工作室", Team.Kind.MEDIATION_STUDIO, leader=leader)
        proposal = assignment.assignment_propose(case_id=accepted_case.pk)
        with pytest.raises(NotAllowed):
            assignment.assignment_answer(
                assignment_id=proposal.pk, actor=territory.users["grid_worker"], accept=True
            )

        assignment.assignment_answer(assignment_id=proposal.pk, actor=leader, accept=True)

        case = Case.objects.get(pk=accepted_case.pk)
        assert (case.team, case.status) == (team, "in_handling")
        lifecycle.case_resolve(
            case_id=case.pk, actor=territory.users["grid_worker"], outcome="settled"
        )
        assert Assignment.objects.get(pk=proposal.pk).status == "done"
        assert Team.objects.get(pk=team.pk).load == 0
        detail = (
            api(territory.users["county_office"]).get(f"/api/cases/{case.pk}/").data["properties"]
        )
        assert detail["team_name"] == "老王调解工作室"
        assert detail["handling_days"] == 0.0

    def test_a_decline_moves_to_the_next_team(
        self, make_team, accepted_case, eager, django_capture_on_commit_callbacks
    ):
        leader = UserFactory(username="leader_a")
        first = make_team(
            "A", Team.Kind.MEDIATION_COMMITTEE, base=east_of(XINGYANG_01, 100), leader=leader
        )
        second = make_team("B", Team.Kind.MEDIATION_COMMITTEE, base=east_of(XINGYANG_01, 900))
        proposal = assignment.assignment_propose(case_id=accepted_case.pk)
        assert proposal.team == first

        with django_capture_on_commit_callbacks(execute=True):
            assignment.assignment_answer(
                assignment_id=proposal.pk, actor=leader, accept=False, reason="成员外出"
            )

        statuses = dict(
            Assignment.objects.filter(case=accepted_case).values_list("team__name", "status")
        )
        assert statuses == {"A": "declined", "B": "proposed"}
        assert (Team.objects.get(pk=first.pk).load, Team.objects.get(pk=second.pk).load) == (0, 1)

    def test_no_answer_in_24_hours_moves_to_the_next_team(
        self, make_team, accepted_case, eager, django_capture_on_commit_callbacks
    ):
        make_team("A", Team.Kind.MEDIATION_COMMITTEE, base=east_of(XINGYANG_01, 100))
        make_team("B", Team.Kind.MEDIATION_COMMITTEE, base=east_of(XINGYANG_01, 900))
        assignment.assignment_propose(case_id=accepted_case.pk)
        assert assignment.assignments_expire() == 0

        with (
            time_machine.travel(timezone.now() + timedelta(hours=25)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert assignment.assignments_expire() == 1

        statuses = dict(
            Assignment.objects.filter(case=accepted_case).values_list("team__name", "status")
        )
        assert statuses == {"A": "expired", "B": "proposed"}

    def test_with_no_candidate_the_case_is_escalated(self, accepted_case):
        assert assignment.assignment_propose(case_id=accepted_case.pk) is None
        case = Case.objects.get(pk=accepted_case.pk)
        assert (case.level, case.events.last().note, case.events.last().actor) == (
            "village",
            "暂无可承接的团队",  # notes the platform writes are in the site's language
            None,
        )

    def test_a_leader_assigns_any_team_of_their_area_by_hand(
        self, territory, make_team, accepted_case
    ):
        far = make_team(
            "吴城调委会",
            Team.Kind.MEDIATION_COMMITTEE,
            township=territory.wucheng,
            base=(115.92, 29.02),
            capacity=0,
        )
        with pytest.raises(NotAllowed):
            assignment.assignment_assign(
                case_id=accepted_case.pk, team_id=far.pk, actor=territory.users["grid_worker"]
            )
        with pytest.raises(CaseInputError):  # 吴城镇's team is not the 涂埠镇 leader's
            assignment.assignment_assign(
                case_id=accepted_case.pk, team_id=far.pk, actor=territory.users["township_leader"]
            )
        assignment.assignment_assign(  # the county office's, full as it is
            case_id=accepted_case.pk, team_id=far.pk, actor=territory.users["county_office"]
        )
        assert Case.objects.get(pk=accepted_case.pk).team == far

    def test_the_database_refuses_a_second_active_assignment(self, make_team, accepted_case):
        a = make_team("A", Team.Kind.MEDIATION_COMMITTEE)
        b = make_team("B", Team.Kind.MEDIATION_COMMITTEE)
        Assignment.objects.create(
            case=accepted_case, team=a, county=accepted_case.county, status="proposed"
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            Assignment.objects.create(
                case=accepted_case, team=b, county=accepted_case.county, status="accepted"
            )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_proposals_for_one_case_make_one_assignment(territory, make_team, report):
    make_team("A", Team.Kind.MEDIATION_COMMITTEE)
    make_team("B", Team.Kind.MEDIATION_COMMITTEE)
    case_id = report().data["id"]
    Case.objects.filter(pk=case_id).update(status="accepted")
    barrier = threading.Barrier(4)

    def propose():
        barrier.wait()
        assignment.assignment_propose(case_id=case_id)
        connection.close()

    threads = [threading.Thread(target=propose) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Assignment.objects.filter(case_id=case_id).count() == 1
    assert sum(Team.objects.values_list("load", flat=True)) == 1


def test_a_team_added_in_the_admin_gets_its_pillar_and_coverage(territory, client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/disputes/team/add/",
        {
            "name": "兴杨道德评判团",
            "kind": "moral_panel",
            "village": territory.xingyang.pk,
            "township": territory.tubu.pk,
            "base": '{"type": "Point", "coordinates": [115.81, 29.02]}',
            "capacity": 4,
            "active": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": territory.users["mediator"].pk,
            "memberships-0-is_leader": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    team = Team.objects.get(name="兴杨道德评判团")
    assert (team.pillar, team.county) == ("moral", territory.county)
    assert team.coverage.equals_exact(territory.xingyang.boundary, 1e-9)
    assert team.memberships.get().user == territory.users["mediator"]


def test_a_team_member_sees_cases_of_the_team_and_open_ones_it_covers(territory, make_team, report):
    mediator = territory.users["mediator"]
    make_team(
        "兴杨调委会", Team.Kind.MEDIATION_COMMITTEE, village=territory.xingyang, leader=mediator
    )
    covered = report().data["id"]
    closed = report(category="traffic").data["id"]
    Case.objects.filter(pk=closed).update(status="closed")
    elsewhere = report(user_key="county_office", point=(115.92, 29.02)).data["id"]
    outside_coverage = report(user_key="township_leader", point=(115.78, 29.02)).data["id"]

    seen = {f["id"] for f in api(mediator).get("/api/cases/").data["features"]}

    assert covered in seen
    assert not seen & {closed, elsewhere, outside_coverage}
    assert api(mediator).get(f"/api/cases/{elsewhere}/").status_code == 404
