"""Department staff on the county office's people pages and in its bulk import."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from villages.models import Department, Staff

pytestmark = pytest.mark.django_db


def office(territory) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(territory.users["county_office"])
    return client


@pytest.fixture
def departments(territory):
    county = territory.county
    return {
        "labour": Department.objects.create(county=county, name="县人力资源和社会保障局"),
        "land": Department.objects.create(county=county, name="县自然资源局"),
        "tubu_justice": Department.objects.create(
            county=county, township=territory.tubu, name="司法所"
        ),
        "wucheng_justice": Department.objects.create(
            county=county, township=territory.wucheng, name="司法所"
        ),
    }


def clerk_form(department, **overrides):
    data = {
        "full_name": "钱办事",
        "mobile": "13907925001",
        "role": "department_staff",
        "department": department.pk if department else "",
    }
    data.update(overrides)
    return data


def sheet(rows) -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile("people.csv", out.getvalue().encode("utf-8"))


class TestTheForm:
    def test_the_office_creates_a_department_clerk(self, territory, departments):
        client = office(territory)
        form = client.get("/desk/people/new/").content.decode()
        assert 'value="department_staff"' in form and "涂埠镇 司法所" in form
        response = client.post("/desk/people/new/", clerk_form(departments["labour"]))
        assert response.status_code == 201
        staff = Staff.objects.get(mobile="13907925001")
        assert (staff.role, staff.department, staff.county) == (
            Staff.Role.DEPARTMENT_STAFF,
            departments["labour"],
            territory.county,
        )
        assert staff.township is None and staff.village is None and staff.must_change_password
        listed = client.get("/desk/people/", {"q": "人力资源"}).content.decode()
        assert "钱办事" in listed and "县人力资源和社会保障局" in listed

    def test_a_stations_clerk_has_the_department_not_a_township(self, territory, departments):
        # The township and village a form may carry are not kept for department staff.
        response = office(territory).post(
            "/desk/people/new/",
            clerk_form(
                departments["tubu_justice"],
                township=territory.tubu.pk,
                village=territory.xingyang.pk,
            ),
        )
        assert response.status_code == 201
        staff = Staff.objects.get(mobile="13907925001")
        assert staff.department == departments["tubu_justice"]
        assert staff.township is None and staff.village is None

    def test_a_clerk_needs_an_active_department_of_the_county(
        self, territory, departments, neighbour
    ):
        client = office(territory)
        theirs = Department.objects.create(county=neighbour.county, name="德安县人社局")
        asleep = Department.objects.create(county=territory.county, name="县档案局", active=False)
        for department, message in (
            ("", "Department staff need a department."),
            (theirs.pk, "Select a valid choice"),
            ("abc", "Select a valid choice"),
            (asleep.pk, "The department 县档案局 is inactive."),
        ):
            data = clerk_form(None)
            data["department"] = department
            response = client.post("/desk/people/new/", data)
            assert response.status_code == 400, department
            assert message in response.content.decode(), department
        assert not get_user_model().objects.filter(username="13907925001").exists()

    def test_changing_the_role_sets_and_clears_the_department(self, territory, departments):
        client = office(territory)
        client.post("/desk/people/new/", clerk_form(departments["labour"]))
        staff = Staff.objects.get(mobile="13907925001")
        edit = client.get(f"/desk/people/{staff.pk}/")
        assert edit.status_code == 200
        assert edit.context["form"]["department"].initial == departments["labour"].pk
        response = client.post(
            f"/desk/people/{staff.pk}/", clerk_form(departments["land"], full_name="钱二")
        )
        assert response.status_code == 302
        staff.refresh_from_db()
        assert staff.department == departments["land"]
        # Away from department staff: the department is cleared (the DB insists, too).
        response = client.post(
            f"/desk/people/{staff.pk}/",
            clerk_form(departments["land"], role="village_cadre", village=territory.xingyang.pk),
        )
        assert response.status_code == 302
        staff.refresh_from_db()
        assert (staff.role, staff.department, staff.village) == (
            Staff.Role.VILLAGE_CADRE,
            None,
            territory.xingyang,
        )
        # And back again.
        response = client.post(f"/desk/people/{staff.pk}/", clerk_form(departments["labour"]))
        assert response.status_code == 302
        staff.refresh_from_db()
        assert (staff.department, staff.township, staff.village) == (
            departments["labour"],
            None,
            None,
        )

    def test_a_clerk_of_a_department_deactivated_since_keeps_it(self, territory, departments):
        client = office(territory)
        client.post("/desk/people/new/", clerk_form(departments["land"]))
        staff = Staff.objects.get(mobile="13907925001")
        Department.objects.filter(pk=departments["land"].pk).update(active=False)
        response = client.post(
            f"/desk/people/{staff.pk}/", clerk_form(departments["land"], full_name="钱改名")
        )
        assert response.status_code == 302
        staff.refresh_from_db()
        assert staff.user.first_name == "钱改名" and staff.department == departments["land"]

    def test_password_reset_and_deactivation_work_for_a_clerk(self, territory, departments):
        client = office(territory)
        client.post("/desk/people/new/", clerk_form(departments["labour"]))
        staff = Staff.objects.get(mobile="13907925001")
        response = client.post(f"/desk/people/{staff.pk}/password/")
        assert response.status_code == 200
        password = response.context["rows"][0][1]
        staff.user.refresh_from_db()
        assert staff.user.check_password(password)
        assert client.post(f"/desk/people/{staff.pk}/deactivate/").status_code == 302
        staff.user.refresh_from_db()
        assert not staff.user.is_active
        staff.refresh_from_db()
        assert staff.department == departments["labour"]

    def test_another_countys_office_cannot_touch_our_clerks(
        self, territory, departments, neighbour
    ):
        office(territory).post("/desk/people/new/", clerk_form(departments["labour"]))
        staff = Staff.objects.get(mobile="13907925001")
        dean = Client()
        dean.force_login(neighbour.users["county_office"])
        assert dean.get(f"/desk/people/{staff.pk}/").status_code == 404
        assert dean.post(f"/desk/people/{staff.pk}/password/").status_code == 404


class TestTheImport:
    HEADER = ["姓名", "手机号", "角色", "区域代码", "部门"]

    def test_department_staff_are_imported_by_the_departments_name(self, territory, departments):
        rows = [
            self.HEADER,
            ["孙人社", "13907926001", "部门工作人员", "", "县人力资源和社会保障局"],
            ["李司法", "13907926002", "department_staff", "360425101", "司法所"],
            ["周领导", "13907926003", "乡镇领导", "360425100", ""],
        ]
        response = office(territory).post("/desk/people/import/", {"file": sheet(rows)})
        assert response.status_code == 201, response.content.decode()[:3000]
        labour = Staff.objects.get(mobile="13907926001")
        assert (labour.role, labour.department, labour.township) == (
            Staff.Role.DEPARTMENT_STAFF,
            departments["labour"],
            None,
        )
        station = Staff.objects.get(mobile="13907926002")
        assert station.department == departments["wucheng_justice"]
        assert station.township is None and station.village is None
        assert Staff.objects.get(mobile="13907926003").department is None

    def test_a_sheet_of_clerks_only_needs_no_area_column(self, territory, departments):
        rows = [
            ["姓名", "手机号", "角色", "部门"],
            ["孙人社", "13907926001", "部门人员", "县自然资源局"],
        ]
        response = office(territory).post("/desk/people/import/", {"file": sheet(rows)})
        assert response.status_code == 201, response.content.decode()[:3000]
        assert Staff.objects.get(mobile="13907926001").department == departments["land"]

    def test_bad_department_rows_are_listed_by_row_and_nothing_is_written(
        self, territory, departments, neighbour
    ):
        Department.objects.create(county=neighbour.county, name="德安县人社局")
        Department.objects.create(county=territory.county, name="县档案局", active=False)
        rows = [
            self.HEADER,
            ["好人", "13907927001", "部门工作人员", "", "县自然资源局"],
            ["无名局", "13907927002", "部门工作人员", "", "县不存在局"],
            ["外县局", "13907927003", "部门工作人员", "", "德安县人社局"],
            ["缺部门", "13907927004", "部门工作人员", "", ""],
            ["网格员带部门", "13907927005", "网格员", "360425100201", "县自然资源局"],
            ["哪个所", "13907927006", "部门工作人员", "", "司法所"],
            ["停用局", "13907927007", "部门工作人员", "", "县档案局"],
            ["错乡镇", "13907927008", "部门工作人员", "360425100", "县自然资源局"],
            ["带村", "13907927009", "部门工作人员", "360425100201", "县自然资源局"],
        ]
        response = office(territory).post("/desk/people/import/", {"file": sheet(rows)})
        assert response.status_code == 400
        problems = [str(p) for p in response.context["problems"]]
        expected = {
            3: "no department named “县不存在局” in",
            4: "the department “德安县人社局” is not one of",
            5: "department staff need a department (部门)",
            6: "only department staff have a department (部门)",
            7: "several townships have a station named “司法所”",
            8: "the department “县档案局” is inactive",
            9: "the department “县自然资源局” is not a station of 涂埠镇",
            10: "department staff need no village",
        }
        for row, message in expected.items():
            assert any(p.startswith(f"row {row}") and message in p for p in problems), (
                row,
                problems,
            )
        assert not any(p.startswith("row 2") for p in problems), problems
        assert not Staff.objects.filter(mobile__startswith="1390792700").exists()
        assert not get_user_model().objects.filter(username="13907927001").exists()

    def test_a_reimport_moves_a_clerk_out_of_the_department(self, territory, departments):
        client = office(territory)
        first = [self.HEADER, ["孙人社", "13907926001", "部门工作人员", "", "县自然资源局"]]
        assert client.post("/desk/people/import/", {"file": sheet(first)}).status_code == 201
        again = [self.HEADER, ["孙人社", "13907926001", "村干部", "360425100201", ""]]
        response = client.post("/desk/people/import/", {"file": sheet(again)})
        assert response.status_code == 201, response.content.decode()[:3000]
        staff = Staff.objects.get(mobile="13907926001")
        assert (staff.role, staff.department, staff.village) == (
            Staff.Role.VILLAGE_CADRE,
            None,
            territory.xingyang,
        )


def test_a_preset_that_is_not_the_countys_presets_nothing(territory, departments, neighbour):
    theirs = Department.objects.create(county=neighbour.county, name="德安县人社局")
    client = office(territory)
    for query in (
        {"role": "department_staff", "department": theirs.pk},
        {"role": "admin", "department": "abc"},
        {"department": "9" * 30},
    ):
        response = client.get("/desk/people/new/", query)
        assert response.status_code == 200, query
        assert "德安县人社局" not in response.content.decode()
