"""Parties' identity by role, and writes that name something outside the user's area.

The same case, roles and areas as test_access_matrix. A write whose body names
a team, a user, a place, a file or a grid of another area is refused exactly like
one naming what does not exist; a write that is in neither TARGETS nor NO_TARGETS
fails test_every_write_is_checked_for_its_targets.
"""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile

from disputes.models import PartyAccessLog, Team
from disputes.teams.services.teams import team_save
from tests.disputes.cases.test_bad_input import png
from tests.disputes.conftest import (
    WUCHENG_01,
    XINGYANG_01,
    access_log_purge,
    api,
    case_payload,
)
from tests.disputes.test_access_matrix import (
    MATRIX,
    case_in_state,
    client_for,
    target_in_state,
)
from tests.factories import UserFactory
from villages.models import Staff

pytestmark = pytest.mark.django_db


class TestParties:
    def test_the_holder_sees_parties_unmasked_and_the_read_is_logged(self, territory):
        case = case_in_state(territory, "reported")
        access_log_purge()
        parties = (
            client_for(territory, "grid_worker")
            .get(f"/api/cases/{case.pk}/")
            .data["properties"]["parties"]
        )
        assert parties[0] == {
            "role": "complainant",
            "name": "张三",
            "phone": "13812345678",
            "id_number": "360425199001011230",
        }
        log = PartyAccessLog.objects.get()
        assert (log.user, log.case_id, log.county_id) == (
            territory.users["grid_worker"],
            case.pk,
            case.county_id,
        )

    @pytest.mark.parametrize("role", ["village_cadre", "township_leader", "county_office"])
    def test_others_who_see_the_case_see_parties_masked_and_nothing_is_logged(
        self, territory, role
    ):
        case = case_in_state(territory, "reported")
        access_log_purge()
        parties = (
            client_for(territory, role).get(f"/api/cases/{case.pk}/").data["properties"]["parties"]
        )
        assert parties == [
            {
                "role": "complainant",
                "name": "张*",
                "phone": "138****5678",
                "id_number": "3604**********1230",
            },
            {"role": "respondent", "name": "李*", "phone": "139****4321", "id_number": ""},
        ]
        assert not PartyAccessLog.objects.exists()

    def test_a_holder_without_the_permission_sees_them_masked(self, territory):
        case = case_in_state(territory, "reported")
        worker = territory.users["grid_worker"]
        worker.user_permissions.clear()
        worker = get_user_model().objects.get(pk=worker.pk)  # drop the permission cache
        parties = api(worker).get(f"/api/cases/{case.pk}/").data["properties"]["parties"]
        assert parties[0]["name"] == "张*"

    def test_after_escalation_the_new_holder_sees_them_and_the_reporter_still_does(self, territory):
        case = case_in_state(territory, "reported")
        client_for(territory, "grid_worker").post(
            f"/api/cases/{case.pk}/escalate/", {"reason": "x"}
        )
        for role in ("grid_worker", "village_cadre"):  # the reporter, and the new holder
            parties = client_for(territory, role).get(f"/api/cases/{case.pk}/").data
            assert parties["properties"]["parties"][0]["name"] == "张三", role

    def test_a_colleague_of_the_same_grid_sees_them_masked(self, territory):
        colleague = UserFactory(username="gw_xingyang_01_b")
        Staff.objects.create(
            user=colleague,
            role=Staff.Role.GRID_WORKER,
            county=territory.county,
            township=territory.tubu,
            village=territory.xingyang,
        )
        colleague.user_permissions.add(Permission.objects.get(codename="view_party_identity"))
        colleague.grids.set([territory.grids["xingyang-01"]])
        case = case_in_state(territory, "reported")  # reported by the other worker of grid 01
        access_log_purge()

        parties = api(colleague).get(f"/api/cases/{case.pk}/").data["properties"]["parties"]

        assert (parties[0]["name"], parties[0]["phone"]) == ("张*", "138****5678")
        assert parties[0]["id_number"] == "3604**********1230"
        assert not PartyAccessLog.objects.exists()
        # A case the county office hands to the grid is every worker's of the grid.
        handed = api(territory.users["county_office"]).post(
            "/api/cases/", case_payload(), format="json"
        )
        assert (
            api(colleague)
            .get(f"/api/cases/{handed.data['id']}/")
            .data["properties"]["parties"][0]["name"]
            == "张三"
        )

    def test_the_team_the_case_is_assigned_to_sees_them(self, territory):
        case = target_in_state(territory, "team_handling")  # 涂埠镇's committee, led by mediator
        parties = client_for(territory, "mediator").get(f"/api/cases/{case.pk}/").data
        assert parties["properties"]["parties"][0]["name"] == "张三"


# Writes whose body names something besides the case (a team, a user, a place, a file, a
# grid): a target outside the user's area is refused exactly like one that does not exist.
# route -> [(what the body names, state, expected status per role that may write there)]
TARGETS = {
    "api/cases/<pk>/assign/": [
        ("a team of another township", "accepted", {"township_leader": 400, "county_office": 200}),
        ("a team that does not exist", "accepted", {"township_leader": 400, "county_office": 400}),
    ],
    "api/teams/": [
        ("the administrator as leader", None, {"township_leader": 400, "county_office": 400}),
        (
            "another township's leader as leader",
            None,
            {"township_leader": 400, "county_office": 201},
        ),
        ("a base in another continent", None, {"township_leader": 400, "county_office": 400}),
        ("a base in another township", None, {"township_leader": 400, "county_office": 201}),
        ("a village of another township", None, {"township_leader": 400, "county_office": 201}),
    ],
    "api/teams/<pk>/": [
        ("the administrator as leader", "team", {"township_leader": 400, "county_office": 400}),
        ("a base in another continent", "team", {"township_leader": 400, "county_office": 400}),
    ],
    "api/cases/<pk>/sessions/": [
        ("an agreement filed on another case", "team_handling", {"mediator": 400}),
    ],
    "api/zero-reports/": [
        ("another worker's grid", None, {"grid_worker": 404, "other_grid_worker": 201}),
        ("a grid that does not exist", None, {"grid_worker": 404}),
    ],
}
# Writes whose body names nothing outside the case (or only the user's own things).
NO_TARGETS = {
    "api/cases/",  # the point: its area is checked by MATRIX (others get 400)
    "api/cases/<pk>/accept/",
    "api/cases/<pk>/hand-back/",
    "api/cases/<pk>/reject/",
    "api/cases/<pk>/reply/",
    "api/cases/<pk>/escalate/",
    "api/cases/<pk>/resolve/",
    "api/cases/<pk>/follow-up/",
    "api/cases/<pk>/reopen/",
    "api/cases/<pk>/extend/",
    "api/cases/<pk>/close/",
    "api/cases/<pk>/attachments/",
    "api/cases/<pk>/supervise/",
    "api/auth/token/",
    "api/auth/logout/",  # the user's own tokens only
    "api/auth/logout-all/",
    "api/notifications/read/",  # the user's own notifications only
    "api/assignments/<pk>/accept/",
    "api/assignments/<pk>/decline/",
}


def test_every_write_is_checked_for_its_targets():
    writes = {
        route
        for route, rows in MATRIX.items()
        if any(method in ("post", "put") for method, *_rest in rows)
    }
    assert writes == set(TARGETS) | NO_TARGETS


def target_body(territory, what, case):
    wucheng_team = Team.objects.filter(township=territory.wucheng).first() or team_save(
        team=Team(
            name="吴城镇人民调解委员会",
            kind=Team.Kind.MEDIATION_COMMITTEE,
            township=territory.wucheng,
            base=Point(*WUCHENG_01, srid=4326),
        )
    )
    admin = get_user_model().objects.get_or_create(username="matrix-admin", is_superuser=True)[0]
    team = {
        "name": "兴杨道德评判团",
        "kind": "moral_panel",
        "village": "360425100201",
        "longitude": XINGYANG_01[0],
        "latitude": XINGYANG_01[1],
        "capacity": 4,
    }
    if what == "a team of another township":
        return {"team": wucheng_team.pk}
    if what == "a team that does not exist":
        return {"team": 987654321}
    if what == "the administrator as leader":
        return {**team, "leader": admin.pk}
    if what == "another township's leader as leader":
        return {**team, "leader": territory.users["other_township_leader"].pk}
    if what == "a base in another continent":
        return {**team, "longitude": -70.0, "latitude": -40.0}
    if what == "a base in another township":
        return {
            **team,
            "village": "",
            "township": "360425101",
            "longitude": WUCHENG_01[0],
            "latitude": WUCHENG_01[1],
        }
    if what == "a village of another township":
        return {**team, "village": "360425101201"}
    if what == "an agreement filed on another case":
        other = case_in_state(territory, "reported")
        api(territory.users["grid_worker"]).post(
            f"/api/cases/{other.pk}/attachments/",
            {"uuid": str(uuid.uuid4()), "file": SimpleUploadedFile("p.png", png())},
            format="multipart",
        )
        return {
            "held_on": "2026-11-20",
            "attendees": "双方当事人",
            "agreement": other.attachments.get().pk,
        }
    if what == "another worker's grid":
        return {"grid": territory.grids["xingyang-02"].pk}
    if what == "a grid that does not exist":
        return {"grid": 987654321}
    raise AssertionError(what)


@pytest.mark.parametrize("route", list(TARGETS))
def test_targets_outside_the_area_are_refused(territory, route):
    for what, state, expected in TARGETS[route]:
        got = {}
        for role in expected:
            target = target_in_state(territory, state)
            body = target_body(territory, what, target)
            url = "/" + route.replace("<pk>", str(target.pk) if target else "0")
            method = "put" if route.endswith("<pk>/") and route.startswith("api/teams") else "post"
            response = getattr(client_for(territory, role), method)(url, body, format="json")
            got[role] = response.status_code
        assert got == expected, f"{route}: {what}"
    admin = get_user_model().objects.get(username="matrix-admin")
    assert not Team.objects.filter(memberships__user=admin).exists()  # nothing half-written
