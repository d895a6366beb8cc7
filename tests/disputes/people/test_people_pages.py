"""The county office's people pages: create, edit, deactivate, reset; only its own county."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from disputes.people.services.staff import StaffInput, staff_create
from disputes.teams.models import TeamMember
from grid.models import GridWorkerChange
from tests.disputes.conftest import tubu_committee
from tests.factories import CountyFactory, TownshipFactory, UserFactory, VillageFactory, box
from villages.models import AccountChange, Staff, StaffChange

pytestmark = pytest.mark.django_db


def office(territory):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(territory.users["county_office"])
    return client


def worker_form(territory, **overrides):
    data = {
        "full_name": "王小明",
        "mobile": "13907920001",
        "role": "grid_worker",
        "village": territory.xingyang.pk,
        "grid_codes": "360425100201-01 360425100201-02",
    }
    data.update(overrides)
    return data


@pytest.fixture
def other_county_staff(db):
    county = CountyFactory(code="360402", name="濂溪区", boundary=box(116.0, 29.5, 116.1, 29.6))
    township = TownshipFactory(
        county=county, code="360402100", name="十里街道", boundary=box(116.0, 29.5, 116.1, 29.6)
    )
    village = VillageFactory(
        township=township, code="360402100001", name="十里社区", boundary=township.boundary
    )
    user = UserFactory(username="13907929999")
    return Staff.objects.create(
        user=user,
        role=Staff.Role.VILLAGE_CADRE,
        county=county,
        township=township,
        village=village,
        mobile="13907929999",
    )


def test_office_creates_a_grid_worker_with_grids_and_history(territory):
    client = office(territory)
    response = client.post("/desk/people/new/", worker_form(territory))
    assert response.status_code == 201
    staff = Staff.objects.get(mobile="13907920001")
    assert staff.user.username == "13907920001"
    assert staff.user.first_name == "王小明"
    assert staff.must_change_password
    assert staff.township == territory.tubu
    assert sorted(g.code for g in staff.user.grids.all()) == [
        "360425100201-01",
        "360425100201-02",
    ]
    password = response.context["rows"][0][1]
    assert password in response.content.decode()
    assert staff.user.check_password(password)
    assert response["Cache-Control"].startswith("max-age=0")
    actor = territory.users["county_office"].pk
    change = StaffChange.objects.filter(pgh_obj=staff, pgh_label="insert").get()
    assert change.pgh_context["user"] == actor
    grid_changes = GridWorkerChange.objects.filter(user_id=staff.user_id, pgh_label="insert")
    assert grid_changes.count() == 2
    assert all(c.pgh_context["user"] == actor for c in grid_changes)


def test_bad_input_answers_400_in_chinese_and_writes_nothing(territory):
    client = office(territory)
    response = client.post(
        "/desk/people/new/",
        worker_form(territory, mobile="12345", grid_codes="360425100202-01"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "不是手机号" in page
    assert not Staff.objects.filter(user__first_name="王小明").exists()
    response = client.post(
        "/desk/people/new/", worker_form(territory, grid_codes="360425100202-01")
    )
    assert response.status_code == 400
    assert "网格必须在网格员所在的村" in response.content.decode()
    assert not get_user_model().objects.filter(username="13907920001").exists()


@pytest.mark.parametrize("role", ["county_office", "city_office", "province_office", "admin"])
def test_office_cannot_give_roles_above_the_township(territory, role):
    response = office(territory).post(
        "/desk/people/new/", worker_form(territory, role=role, village="")
    )
    assert response.status_code == 400
    assert not Staff.objects.filter(mobile="13907920001").exists()
    assert not get_user_model().objects.filter(is_superuser=True).exists()


def test_mediator_with_teams_and_leader_with_township(territory):
    team = tubu_committee(territory)
    client = office(territory)
    response = client.post(
        "/desk/people/new/",
        {
            "full_name": "李调解",
            "mobile": "13907920002",
            "role": "mediator",
            "township": territory.tubu.pk,
            "teams": [team.pk],
        },
    )
    assert response.status_code == 201
    staff = Staff.objects.get(mobile="13907920002")
    assert TeamMember.objects.filter(team=team, user=staff.user).exists()
    response = client.post(
        f"/desk/people/{staff.pk}/",
        {
            "full_name": "李调解",
            "mobile": "13907920002",
            "role": "township_leader",
            "township": territory.wucheng.pk,
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.role, staff.township) == ("township_leader", territory.wucheng)
    assert not TeamMember.objects.filter(team=team, user=staff.user).exists()


def test_deactivate_keeps_the_account(territory):
    worker = territory.users["grid_worker"]
    client = office(territory)
    response = client.post(f"/desk/people/{worker.staff.pk}/deactivate/")
    assert response.status_code == 302
    worker.refresh_from_db()
    assert not worker.is_active
    assert Staff.objects.filter(pk=worker.staff.pk).exists()
    assert client.get("/desk/people/?active=0").context["page"].paginator.count == 1


def test_list_is_the_county_only_and_searchable(territory, other_county_staff):
    client = office(territory)
    response = client.get("/desk/people/")
    assert response.status_code == 200
    names = [s.user.username for s in response.context["page"]]
    assert "gw_xingyang_01" in names
    assert other_county_staff.user.username not in names
    found = client.get("/desk/people/", {"q": "兴杨"}).context["page"]
    assert {s.user.username for s in found} == {
        "gw_xingyang_01",
        "gw_xingyang_02",
        "cadre_xingyang",
    }
    assert client.get("/desk/people/", {"role": "mediator"}).context["page"].paginator.count == 1
    assert client.get("/desk/people/", {"role": "nonsense"}).status_code == 400


def test_another_countys_people_are_404(territory, other_county_staff):
    client = office(territory)
    for url in ("/desk/people/{}/", "/desk/people/{}/deactivate/", "/desk/people/{}/password/"):
        method = client.get if url.count("/") == 4 else client.post
        assert method(url.format(other_county_staff.pk)).status_code == 404
    own = territory.users["county_office"].staff
    assert client.get(f"/desk/people/{own.pk}/").status_code == 404
    other_county_staff.user.refresh_from_db()
    assert other_county_staff.user.is_active


def test_a_mobile_of_another_county_is_refused(territory, other_county_staff):
    response = office(territory).post(
        "/desk/people/new/", worker_form(territory, mobile=other_county_staff.mobile)
    )
    assert response.status_code == 400


def test_reset_password_then_the_user_must_change_it(territory):
    staff, _password = staff_create(
        county=territory.county,
        data=StaffInput(
            full_name="赵网格",
            mobile="13907920003",
            role="grid_worker",
            village=territory.xingyang,
            grids=[territory.grids["xingyang-01"]],
        ),
    )
    response = office(territory).post(f"/desk/people/{staff.pk}/password/")
    assert response.status_code == 200
    password = response.context["rows"][0][1]
    # The reset is in the history (a row without the hash), made by the office.
    reset = AccountChange.objects.filter(pgh_obj_id=staff.user_id, pgh_label="update").get()
    assert reset.pgh_context["user"] == territory.users["county_office"].pk
    worker = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = worker.post("/login/", {"username": "13907920003", "password": password})
    assert response.status_code == 302
    assert worker.get("/m/").url == "/password/"
    assert worker.get("/desk/").url == "/password/"
    page = worker.get("/password/")
    assert page.status_code == 200 and "临时密码" in page.content.decode()
    api = worker.post("/api/auth/token/", {"username": "13907920003", "password": password})
    assert api.status_code == 403
    assert "/login/" in api.json()["detail"]
    response = worker.post(
        "/password/",
        {
            "old_password": password,
            "new_password1": "Poyang-lake-2026",
            "new_password2": "Poyang-lake-2026",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert not staff.must_change_password
    assert worker.get("/m/").status_code == 200


def test_the_api_login_refuses_a_temporary_password(territory):
    _staff, password = staff_create(
        county=territory.county,
        data=StaffInput(
            full_name="钱网格",
            mobile="13907920004",
            role="grid_worker",
            village=territory.xingyang,
        ),
    )
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post(
        "/api/auth/token/", {"username": "13907920004", "password": password}
    )
    assert response.status_code == 403
    assert "临时" in response.json()["detail"]
