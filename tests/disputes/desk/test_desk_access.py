"""Every desk page against every role and area: outside the area a case is 404, never 403.

A case is reported in 兴杨村委会 grid 01 (涂埠镇). A desk page that is not in
PAGES fails test_every_desk_page_is_in_the_matrix.
"""

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.test import Client
from django.urls import URLResolver, get_resolver

from disputes.desk.services import case_version
from disputes.models import Case
from disputes.risks.models import MajorProject
from tests.disputes.conftest import api, case_payload
from tests.factories import UserFactory
from villages.models import Department, Staff

pytestmark = pytest.mark.django_db

ROLES = [
    "grid_worker",
    "other_grid_worker",
    "village_cadre",
    "other_village_cadre",
    "township_leader",
    "other_township_leader",
    "county_office",
    "mediator",
    "no_role",
    "anonymous",
]
SEES = {"grid_worker", "village_cadre", "township_leader", "county_office"}
STAFF = set(ROLES) - {"no_role", "anonymous"}
TOWNSHIP_LEADERS = {"township_leader", "other_township_leader"}
CLERKS = {
    "village_cadre",
    "other_village_cadre",
    "township_leader",
    "other_township_leader",
    "county_office",
}


KEEPERS = {"township_leader", "other_township_leader", "county_office"}
TUBU_KEEPERS = {"township_leader", "county_office"}


def statuses(allowed: set[str], ok=200, others=404) -> dict[str, int]:
    return {
        role: 302 if role == "anonymous" else ok if role in allowed else others for role in ROLES
    }


# route -> (method, what is sent, expected status per role)
PAGES = {
    "desk/": ("get", None, statuses(STAFF)),
    "desk/cases/": ("get", None, statuses(STAFF)),
    # The area's referrals (访调诉): every role with an area, each seeing its own.
    "desk/referrals/": ("get", None, statuses(STAFF)),
    "desk/mailbox/": (
        "get",
        None,
        statuses({"township_leader", "other_township_leader", "county_office"}),
    ),
    "desk/cases/<id:case_id>/": ("get", None, statuses(SEES)),
    "desk/cases/new/": ("get", None, statuses(CLERKS)),
    "desk/cases/new/places/": ("get", None, statuses(CLERKS)),
    "desk/cases/new/check/": ("post", None, statuses(CLERKS)),
    # The receipt: the desks that register, for a case they may open.
    "desk/cases/<id:case_id>/receipt/": ("get", None, statuses(SEES & CLERKS)),
    "desk/cases/<id:case_id>/receipt.pdf": ("get", None, statuses(SEES & CLERKS)),
    "desk/cases/<id:case_id>/receipt/new-code/": ("post", None, statuses(SEES & CLERKS, ok=302)),
    "desk/cases/<id:case_id>/parties/": ("post", None, statuses(SEES)),
    # Only the grid worker holds the reported case; who sees it but may not accept: 404 too
    # (an action the page does not offer does not exist for them).
    "desk/cases/<id:case_id>/do/<slug:action>/": (
        "post",
        "accept",
        statuses({"grid_worker"}, ok=302),
    ),
    # People (disputes/people): the county office only, for its own county's staff
    # (another county's: tests/disputes/people/test_people_pages.py).
    "desk/people/": ("get", None, statuses({"county_office"})),
    "desk/people/new/": ("get", None, statuses({"county_office"})),
    "desk/people/import/": ("get", None, statuses({"county_office"})),
    "desk/people/<int:staff_id>/": ("get", None, statuses({"county_office"})),
    "desk/people/<int:staff_id>/deactivate/": ("post", None, statuses({"county_office"}, ok=302)),
    "desk/people/<int:staff_id>/password/": ("post", None, statuses({"county_office"})),
    # Major projects (disputes/risks): the county office and township leaders keep the register;
    # a project in 涂埠镇 is seen by its leader and the county office.
    "desk/projects/": ("get", None, statuses(KEEPERS)),
    "desk/projects/new/": ("get", None, statuses(KEEPERS)),
    "desk/projects/<id:project_id>/": ("get", None, statuses(TUBU_KEEPERS)),
    "desk/projects/<id:project_id>/edit/": ("get", None, statuses(TUBU_KEEPERS)),
    # An empty follow-up is refused (400) to those who keep the project.
    "desk/projects/<id:project_id>/follow-up/": ("post", None, statuses(TUBU_KEEPERS, ok=400)),
    "desk/projects/<id:project_id>/close/": ("post", None, statuses(TUBU_KEEPERS, ok=302)),
    # Joint meetings (disputes/meetings): the county office and township leaders (department
    # staff and each meeting or decision by role: tests/disputes/meetings); no meeting here.
    "desk/meetings/": ("get", None, statuses(KEEPERS)),
    "desk/meetings/new/": ("get", None, statuses(KEEPERS)),
    "desk/meetings/decisions/": ("get", None, statuses(KEEPERS)),
    "desk/meetings/<id:meeting_id>/": ("get", None, dict.fromkeys(ROLES, 404)),
    "desk/meetings/decisions/<id:decision_id>/": ("get", None, dict.fromkeys(ROLES, 404)),
    # The backlog (disputes/ownership): the county office and township leaders, of their area.
    "desk/backlog/": ("get", None, statuses(KEEPERS)),
    # Departments (disputes/departments): the county office; a township leader its own
    # township's stations (the department opened is 涂埠镇's 司法所); the map: the county.
    "desk/departments/": ("get", None, statuses(TOWNSHIP_LEADERS | {"county_office"})),
    "desk/departments/new/": ("get", None, statuses(TOWNSHIP_LEADERS | {"county_office"})),
    "desk/departments/categories/": ("get", None, statuses({"county_office"})),
    "desk/departments/<int:department_id>/": (
        "get",
        None,
        statuses({"township_leader", "county_office"}),
    ),
    # Reception days (disputes/reception): the county office and township leaders keep them
    # (each session and booking by unit: tests/disputes/reception); no session here. An
    # empty month or booking is refused (400) to those who may send it.
    "desk/reception/": ("get", None, statuses(KEEPERS)),
    "desk/reception/schedules/": ("get", None, statuses(KEEPERS)),
    "desk/reception/schedules/<id:schedule_id>/stop/": ("post", None, dict.fromkeys(ROLES, 404)),
    "desk/reception/generate/": ("post", None, statuses(KEEPERS, ok=400)),
    "desk/reception/sessions/<id:session_id>/": ("get", None, dict.fromkeys(ROLES, 404)),
    "desk/reception/sessions/<id:session_id>/cancel/": ("post", None, dict.fromkeys(ROLES, 404)),
    "desk/reception/sessions/<id:session_id>/change/": ("post", None, dict.fromkeys(ROLES, 404)),
    "desk/reception/sessions/<id:session_id>/swap/": ("post", None, dict.fromkeys(ROLES, 404)),
    "desk/reception/sessions/<id:session_id>/visit/": ("post", None, dict.fromkeys(ROLES, 404)),
    "desk/reception/sessions/<id:session_id>/ledger/": ("get", None, dict.fromkeys(ROLES, 404)),
    "desk/reception/cases/<id:case_id>/book/": ("post", None, statuses(TUBU_KEEPERS, ok=400)),
    "desk/reception/appointments/<id:appointment_id>/move/": (
        "post",
        None,
        dict.fromkeys(ROLES, 404),
    ),
    "desk/reception/appointments/<id:appointment_id>/missed/": (
        "post",
        None,
        dict.fromkeys(ROLES, 404),
    ),
    "desk/reception/appointments/<id:appointment_id>/cancel/": (
        "post",
        None,
        dict.fromkeys(ROLES, 404),
    ),
}


def desk_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from desk_routes(pattern, route)
        elif route.startswith("desk/"):
            yield route


def test_every_desk_page_is_in_the_matrix():
    assert set(desk_routes()) == set(PAGES)


@pytest.mark.parametrize("route", sorted(PAGES))
def test_desk_page_by_role_and_area(territory, route):
    method, sent, expected = PAGES[route]
    # A person of the county for the people pages to change (deactivating them blocks nobody).
    person = UserFactory(username="gw_new")
    staff = Staff.objects.create(
        user=person,
        role=Staff.Role.GRID_WORKER,
        county=territory.county,
        township=territory.tubu,
        village=territory.xingyang,
    )
    project = MajorProject.objects.create(
        county=territory.county,
        name="兴杨村征地项目",
        kind="land",
        area=MultiPolygon(Polygon.from_bbox((115.805, 29.015, 115.815, 29.025)), srid=4326),
        responsible_unit="县自然资源局",
        assessed_on="2026-02-01",
        risk="high",
        measures="公示",
        registered_by=territory.users["county_office"],
    )
    station = Department.objects.create(
        county=territory.county, township=territory.tubu, name="司法所"
    )
    got = {}
    for role in ROLES:
        case_id = (
            api(territory.users["grid_worker"])
            .post("/api/cases/", case_payload(), format="json")
            .data["id"]
        )
        client = Client()
        if role != "anonymous":
            client.force_login(territory.users[role])
        url = "/" + (
            route.replace("<id:case_id>", str(case_id))
            .replace("<slug:action>", "accept")
            .replace("<int:staff_id>", str(staff.pk))
            .replace("<id:project_id>", str(project.pk))
            .replace("<int:department_id>", str(station.pk))
        )
        data = (
            {"accept-version": case_version(Case.objects.get(pk=case_id)), "accept-reply": "已受理"}
            if sent == "accept"
            else {}
        )
        response = getattr(client, method)(url, data)
        got[role] = response.status_code
        if response.status_code == 404:
            assert (
                "兴杨" not in response.content.decode() and "两户" not in response.content.decode()
            )
    assert got == expected
