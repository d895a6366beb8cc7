"""Every API endpoint against every role and area.

A case is reported in 兴杨村委会 grid 01 (涂埠镇) and put in the state each
endpoint needs; each role then calls the endpoint. Users outside the case's
area get 404, never 403 with its contents. A new endpoint that is not in
MATRIX fails test_every_endpoint_is_in_the_matrix.
"""

import uuid
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from knox.models import AuthToken
from rest_framework.test import APIClient

from disputes.cases.services import lifecycle
from disputes.models import Bulletin, Case, Export, JobStatus, Team
from disputes.teams.services import assignment
from tests.disputes.cases.test_bad_input import png
from tests.disputes.conftest import (
    XINGYANG_01,
    api,
    case_payload,
    tubu_committee,
)
from tests.factories import UserFactory

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
# Anonymous API calls: 401 with WWW-Authenticate: Token (the token is the API's login).
ANON = {"anonymous": 401}


def only(allowed: dict[str, int], seen_otherwise=403) -> dict[str, int]:
    """Status per role: `allowed` ones as given, others who see the case 403, the rest 404."""
    return {
        role: allowed.get(role, ANON.get(role, seen_otherwise if role in SEES else 404))
        for role in ROLES
    }


HOLDER = only({"grid_worker": 200})
# Who does not see the teams of 涂埠镇.
TEAM_OUTSIDERS = {"other_township_leader", "no_role"}
HANDLER_OR_ABOVE = only({r: 200 for r in SEES})
TOWNSHIP_OR_ABOVE = only({"township_leader": 200, "county_office": 200})
EVERYONE = {role: ANON.get(role, 200) for role in ROLES}
EXPORT_OWNER = {role: ANON.get(role, 200 if role == "township_leader" else 404) for role in ROLES}

# route -> (method, state the case is put in, request body, expected status per role)
MATRIX = {
    "api/cases/": [
        ("get", None, None, EVERYONE),
        (
            "post",
            None,
            "new",
            {
                "grid_worker": 201,
                "other_grid_worker": 400,
                "village_cadre": 201,
                "other_village_cadre": 400,
                "township_leader": 201,
                "other_township_leader": 400,
                "county_office": 201,
                "mediator": 400,
                "no_role": 400,
                "anonymous": 401,
            },
        ),
    ],
    "api/cases/<pk>/": [("get", "reported", None, only({r: 200 for r in SEES}))],
    "api/cases/<pk>/accept/": [("post", "reported", {"reply": "已受理"}, HOLDER)],
    "api/cases/<pk>/reject/": [
        ("post", "reported", {"reason": "不属于受理范围", "reply": "不属于信访受理范围"}, HOLDER)
    ],
    "api/cases/<pk>/escalate/": [("post", "reported", {"reason": "调解不成"}, HOLDER)],
    "api/cases/<pk>/reply/": [("post", "reported", {"reply": "正在核实"}, HANDLER_OR_ABOVE)],
    "api/cases/<pk>/resolve/": [
        ("post", "accepted", {"outcome": "settled", "reply": "已调解"}, HOLDER)
    ],
    "api/cases/<pk>/follow-up/": [
        ("post", "resolved", {"satisfaction": "satisfied"}, HANDLER_OR_ABOVE)
    ],
    "api/cases/<pk>/reopen/": [("post", "unsatisfied", {"reason": "不满意"}, HANDLER_OR_ABOVE)],
    "api/cases/<pk>/extend/": [
        (
            "post",
            "accepted",
            {"days": 10, "reason": "需鉴定", "reply": "需鉴定，延期办理"},
            TOWNSHIP_OR_ABOVE,
        )
    ],
    "api/cases/<pk>/close/": [("post", "followed_up", {}, HANDLER_OR_ABOVE)],
    "api/cases/<pk>/attachments/": [("post", "reported", "file", only({"grid_worker": 201}))],
    "api/cases/<pk>/attachments/<attachment_id>/": [
        ("get", "attachment", None, only({r: 200 for r in SEES}))
    ],
    "api/cases/nearby/": [("get", "reported", "near", EVERYONE)],
    "api/categories/": [("get", None, None, EVERYONE)],
    "api/auth/token/": [
        ("post", None, "credentials", {role: 200 if role != "anonymous" else 400 for role in ROLES})
    ],
    "api/coverage/": [("get", None, None, EVERYONE)],
    # Figures of the user's own unit (a grid worker's first grid); mediators read none.
    "api/figures/": [("get", None, None, {**EVERYONE, "no_role": 404, "mediator": 404})],
    "api/cases/<pk>/supervise/": [
        (
            "post",
            "reported",
            {"note": "请加快办理"},
            only({"township_leader": 201, "county_office": 201}),
        )
    ],
    "api/supervision/": [("get", "reported", None, EVERYONE)],
    "api/notifications/": [("get", None, None, EVERYONE)],
    "api/notifications/unread/": [("get", None, None, EVERYONE)],
    "api/notifications/read/": [("post", None, {}, EVERYONE)],
    "api/cases/<pk>/assign/": [("post", "accepted", "team", TOWNSHIP_OR_ABOVE)],
    "api/cases/<pk>/sessions/": [("post", "team_handling", "session", only({"mediator": 201}))],
    # No session settled the case yet: the team may not hand it back (409); others as ever.
    "api/cases/<pk>/hand-back/": [("post", "team_handling", {}, only({"mediator": 409}))],
    "api/assignments/": [("get", "proposed", None, EVERYONE)],
    "api/assignments/<pk>/accept/": [("post", "proposed", {}, only({"mediator": 200}))],
    "api/assignments/<pk>/decline/": [
        ("post", "proposed", {"reason": "人手不足"}, only({"mediator": 200}))
    ],
    "api/teams/": [
        ("get", None, None, EVERYONE),
        (
            "post",
            None,
            "team_write",
            # a leader elsewhere is told the village is not in their area
            {
                role: {
                    "township_leader": 201,
                    "county_office": 201,
                    "other_township_leader": 400,
                    **ANON,
                }.get(role, 403)
                for role in ROLES
            },
        ),
    ],
    "api/teams/<pk>/": [
        (
            "get",
            "team",
            None,
            {role: ANON.get(role, 404 if role in TEAM_OUTSIDERS else 200) for role in ROLES},
        ),
        (
            "put",
            "team",
            "team_write",
            {
                role: ANON.get(
                    role,
                    404
                    if role in TEAM_OUTSIDERS
                    else {"township_leader": 200, "county_office": 200}.get(role, 403),
                )
                for role in ROLES
            },
        ),
    ],
    # Zero reports: a grid worker files for their own grid; lists are scoped (empty elsewhere).
    "api/zero-reports/": [
        ("get", None, None, EVERYONE),
        ("post", None, "zero_report", only({"grid_worker": 201})),
    ],
    "api/zero-reports/today/": [("get", None, None, EVERYONE)],
    "api/zero-reports/missing/": [("get", None, None, EVERYONE)],
    # Monthly bulletins: 涂埠镇's is the county office's and its leader's; lists are scoped.
    "api/bulletins/": [("get", None, None, EVERYONE)],
    "api/bulletins/<pk>/": [
        (
            "get",
            "bulletin",
            None,
            {
                role: ANON.get(role, 200 if role in ("township_leader", "county_office") else 404)
                for role in ROLES
            },
        )
    ],
    # Exports: anyone exports the cases of their own area; an export is its owner's alone.
    "api/cases/export/": [("get", "reported", None, EVERYONE)],
    "api/exports/": [("get", "export", None, EVERYONE)],
    "api/exports/<pk>/": [("get", "export", None, EXPORT_OWNER)],
    "api/exports/<pk>/download/": [("get", "export", None, EXPORT_OWNER)],
    # The schema and its docs page map every endpoint: logged-in users only. The
    # schema answers anonymous 403 like the API; the page sends them to the login.
    "api/auth/logout/": [("post", None, "token", {role: 204 for role in ROLES})],
    "api/auth/logout-all/": [("post", None, "token", {role: 204 for role in ROLES})],
    "api/schema/": [("get", None, None, EVERYONE)],
    "api/docs/": [("get", None, None, {**EVERYONE, "anonymous": 302})],
}


def api_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from api_routes(pattern, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/"):
            yield (
                route.replace("(?P<pk>[0-9]{1,18})", "<pk>")
                .replace("(?P<attachment_id>[0-9]{1,18})", "<attachment_id>")
                .replace("^", "")
                .replace("$", "")
            )


def test_every_endpoint_is_in_the_matrix():
    routes = {r for r in api_routes() if "<drf_format_suffix" not in r and "\\." not in r}
    assert routes == set(MATRIX)


def team_of_tubu(territory, leader_key="mediator"):
    return tubu_committee(territory, leader=territory.users[leader_key])


def target_in_state(territory, state):
    """The object whose id goes in the route: a case, a team or an assignment."""
    admin = get_user_model().objects.get_or_create(username="matrix-admin", is_superuser=True)[0]
    if state == "team":
        return team_of_tubu(territory)
    if state == "bulletin":
        return Bulletin.objects.get_or_create(
            county=territory.county, township=territory.tubu, month=date(2026, 3, 1)
        )[0]
    if state == "export":
        export = Export.objects.create(
            user=territory.users["township_leader"],
            county=territory.county,
            format="csv",
            status=JobStatus.DONE,
        )
        export.file.save("matrix.csv", ContentFile(b"\xef\xbb\xbfid\n"))
        return export
    if state == "proposed":
        team_of_tubu(territory)
        case = case_in_state(territory, "reported")
        lifecycle.case_accept(case_id=case.pk, actor=admin)
        return assignment.assignment_propose(case_id=case.pk)
    if state == "team_handling":
        team = team_of_tubu(territory)
        case = case_in_state(territory, "accepted")
        assignment.assignment_assign(case_id=case.pk, team_id=team.pk, actor=admin)
        return case
    if state == "attachment":
        case = case_in_state(territory, "reported")
        upload = SimpleUploadedFile("p.png", png())
        api(territory.users["grid_worker"]).post(
            f"/api/cases/{case.pk}/attachments/",
            {"uuid": str(uuid.uuid4()), "file": upload},
            format="multipart",
        )
        return case
    return case_in_state(territory, state) if state else None


def case_in_state(territory, state):
    reporter = territory.users["grid_worker"]
    case = Case.objects.get(
        pk=api(reporter).post("/api/cases/", case_payload(), format="json").data["id"]
    )
    admin = get_user_model().objects.get_or_create(username="matrix-admin", is_superuser=True)[0]
    steps = {
        "reported": [],
        "accepted": [lifecycle.case_accept],
        "resolved": [
            lifecycle.case_accept,
            lambda **k: lifecycle.case_resolve(outcome="settled", **k),
        ],
        "followed_up": [
            lifecycle.case_accept,
            lambda **k: lifecycle.case_resolve(outcome="settled", **k),
            lambda **k: lifecycle.case_follow_up(satisfaction="satisfied", **k),
        ],
        "unsatisfied": [
            lifecycle.case_accept,
            lambda **k: lifecycle.case_resolve(outcome="not_settled", **k),
            lambda **k: lifecycle.case_follow_up(satisfaction="not_satisfied", **k),
        ],
    }[state]
    for step in steps:
        step(case_id=case.pk, actor=admin)
    return case


def client_for(territory, role):
    if role == "anonymous":
        return APIClient(HTTP_ACCEPT_LANGUAGE="en")
    return api(territory.users[role])


def call(territory, role, method, route, case, body):
    client = client_for(territory, role)
    url = "/" + route.replace("<pk>", str(case.pk) if case else "0")
    if "<attachment_id>" in url:
        url = url.replace("<attachment_id>", str(case.attachments.get().pk))
    if body == "team":
        team = Team.objects.first() or team_of_tubu(territory, "township_leader")
        return client.post(url, {"team": team.pk}, format="json")
    if body == "session":
        return client.post(
            url, {"held_on": "2026-11-20", "attendees": "双方当事人、调解员"}, format="json"
        )
    if body == "team_write":
        write = {
            "name": "兴杨道德评判团",
            "kind": "moral_panel",
            "village": "360425100201",
            "longitude": XINGYANG_01[0],
            "latitude": XINGYANG_01[1],
            "capacity": 4,
        }
        return getattr(client, method)(url, write, format="json")
    if body == "zero_report":
        return client.post(url, {"grid": territory.grids["xingyang-01"].pk}, format="json")
    if body == "new":
        return client.post(url, case_payload(), format="json")
    if body == "file":
        upload = SimpleUploadedFile("p.png", png())
        return client.post(url, {"uuid": str(uuid.uuid4()), "file": upload}, format="multipart")
    if body == "near":
        return client.get(
            url, {"longitude": XINGYANG_01[0], "latitude": XINGYANG_01[1], "category": "neighbours"}
        )
    if body == "token":  # logging out: a token of the user's own (a new one for anonymous)
        user = territory.users.get(role) or UserFactory(username="no_staff_at_all")
        _instance, token = AuthToken.objects.create(user=user)
        return APIClient(HTTP_AUTHORIZATION=f"Token {token}").post(url)
    if body == "credentials":
        user = territory.users.get(role)
        if user is not None:
            user.set_password("pw-for-tests")
            user.save()
        return client.post(
            url, {"username": user.username if user else "nobody", "password": "pw-for-tests"}
        )
    return getattr(client, method)(url, body, format="json") if method != "get" else client.get(url)


@pytest.mark.parametrize("route", list(MATRIX))
def test_role_by_area(territory, route):
    for method, state, body, expected in MATRIX[route]:
        got = {}
        for role in ROLES:
            target = target_in_state(territory, state)
            got[role] = call(territory, role, method, route, target, body).status_code
        assert got == expected, f"{method.upper()} {route}"


def test_lists_show_only_the_area(territory):
    case_in_state(territory, "reported")
    counts = {}
    for role in ROLES[:-1]:
        counts[role] = client_for(territory, role).get("/api/cases/").data["count"]
    assert counts == {role: 1 if role in SEES else 0 for role in ROLES[:-1]}


def test_a_case_outside_the_area_is_404_with_nothing_of_it(territory):
    case = case_in_state(territory, "reported")
    response = client_for(territory, "other_township_leader").get(f"/api/cases/{case.pk}/")
    assert response.status_code == 404
    assert "兴杨" not in response.content.decode() and "张" not in response.content.decode()
