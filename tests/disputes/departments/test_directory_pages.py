"""The departments' pages: the county office's list, form and category map; a township's stations.

Every page answers only the user's area: another county's departments, the county's
departments for a township leader, and every page for the other roles are 404.
"""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disputes.cases.models import Category
from disputes.departments.models import CategoryRoute, Routing
from disputes.departments.services.directory import category_map_save
from tests.factories import UserFactory
from villages.models import Department, Staff

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def departments(territory):
    county = territory.county
    return {
        "labour": Department.objects.create(county=county, name="县人力资源和社会保障局"),
        "land": Department.objects.create(county=county, name="县自然资源局", code="11360425MB"),
        "tubu_justice": Department.objects.create(
            county=county, township=territory.tubu, name="司法所"
        ),
        "wucheng_justice": Department.objects.create(
            county=county, township=territory.wucheng, name="司法所"
        ),
    }


def clerk(territory, department, username="clerk_labour"):
    user = UserFactory(username=username)
    Staff.objects.create(
        user=user, role=Staff.Role.DEPARTMENT_STAFF, county=territory.county, department=department
    )
    return user


def routed(report, territory, department, *, reply_by, status=Routing.Status.PENDING):
    return Routing.objects.create(
        case_id=report().data["id"],
        county=territory.county,
        department=department,
        role=Routing.Role.LEAD,
        status=status,
        routed_by=territory.users["county_office"],
        from_level="county",
        reply_by=reply_by,
        accept_by=reply_by,
    )


def rows(page: str) -> list[str]:
    return page.split('<tr class="department')[1:]


class TestTheList:
    def test_the_county_office_sees_departments_and_stations_with_staff_map_and_load(
        self, territory, departments, report
    ):
        clerk(territory, departments["labour"])
        gone = clerk(territory, departments["labour"], username="clerk_left")
        gone.is_active = False
        gone.save()
        CategoryRoute.objects.create(
            county=territory.county,
            category=Category.objects.get(code="labour-wages"),
            department=departments["labour"],
        )
        with time_machine.travel(timezone.make_aware(datetime(2026, 6, 1, 9)), tick=False):
            routed(report, territory, departments["labour"], reply_by=TODAY - timedelta(days=1))
            routed(report, territory, departments["labour"], reply_by=TODAY + timedelta(days=9))
            routed(
                report,
                territory,
                departments["labour"],
                reply_by=TODAY - timedelta(days=9),
                status=Routing.Status.DONE,
            )
        with time_machine.travel(timezone.make_aware(datetime(2026, 6, 15, 9)), tick=False):
            response = client_for(territory.users["county_office"]).get("/desk/departments/")
        assert response.status_code == 200
        page = response.content.decode()
        listed = rows(page)
        # County departments first (by name), then the stations by township code.
        assert [d.pk for d in response.context["departments"]] == [
            departments["labour"].pk,
            departments["land"].pk,
            departments["tubu_justice"].pk,
            departments["wucheng_justice"].pk,
        ]
        labour = response.context["departments"][0]
        assert (labour.staff_count, labour.load) == (1, {"open": 2, "overdue": 1})
        assert [c.code for c in labour.categories] == ["labour-wages"]
        assert "劳动争议及欠薪" in listed[0] and "县人力资源和社会保障局" in listed[0]
        assert "11360425MB" in listed[1]
        assert "涂埠镇" in listed[2] and "吴城镇" in listed[3]
        assert 'href="/desk/departments/categories/"' in page

    def test_a_township_leader_sees_only_its_own_stations_and_no_category_map(
        self, territory, departments
    ):
        client = client_for(territory.users["township_leader"])
        response = client.get("/desk/departments/")
        assert response.status_code == 200
        assert [d.pk for d in response.context["departments"]] == [departments["tubu_justice"].pk]
        assert "县自然资源局" not in response.content.decode()
        assert "/desk/departments/categories/" not in response.content.decode()
        assert client.get("/desk/departments/categories/").status_code == 404
        assert client.get(f"/desk/departments/{departments['land'].pk}/").status_code == 404
        wucheng = departments["wucheng_justice"].pk
        assert client.get(f"/desk/departments/{wucheng}/").status_code == 404

    @pytest.mark.parametrize("role", ["village_cadre", "grid_worker", "mediator", "clerk"])
    def test_other_roles_have_no_departments_pages(self, territory, departments, role):
        user = clerk(territory, departments["labour"]) if role == "clerk" else territory.users[role]
        client = client_for(user)
        land = departments["land"].pk
        for url in (
            "/desk/departments/",
            "/desk/departments/new/",
            "/desk/departments/categories/",
            f"/desk/departments/{land}/",
        ):
            assert client.get(url).status_code == 404, url
        assert client.post("/desk/departments/new/", {"name": "县公安局"}).status_code == 404
        assert not Department.objects.filter(name="县公安局").exists()

    def test_the_navigation_links_the_page_for_those_who_may_open_it(self, territory):
        for role, shown in (
            ("county_office", True),
            ("township_leader", True),
            ("village_cadre", False),
        ):
            page = client_for(territory.users[role]).get("/desk/").content.decode()
            assert ('href="/desk/departments/"' in page) is shown, role


class TestTheForm:
    def test_the_county_office_adds_a_department_and_a_station(self, territory):
        client = client_for(territory.users["county_office"])
        response = client.post(
            "/desk/departments/new/", {"name": "  县公安局 ", "code": "11360425015", "township": ""}
        )
        assert response.status_code == 302 and response["Location"] == "/desk/departments/"
        police = Department.objects.get(name="县公安局")
        assert (police.county, police.township, police.code, police.active) == (
            territory.county,
            None,
            "11360425015",
            True,
        )
        response = client.post(
            "/desk/departments/new/", {"name": "派出所", "township": territory.wucheng.pk}
        )
        assert response.status_code == 302
        assert Department.objects.get(name="派出所").township == territory.wucheng

    def test_bad_input_is_400_with_the_reason_and_writes_nothing(self, territory, neighbour):
        client = client_for(territory.users["county_office"])
        before = Department.objects.count()
        for data, message in (
            ({"name": "   "}, "This field is required."),
            ({"name": "局" * 101}, "at most 100 characters"),
            ({"name": "县公安局", "code": "9" * 31}, "at most 30 characters"),
            ({"name": "县公安局", "township": neighbour.township.pk}, "Select a valid choice"),
            ({"name": "县公安局", "township": "涂埠镇"}, "Select a valid choice"),
            ({"name": "县公安局", "township": "9" * 20}, "Select a valid choice"),
        ):
            response = client.post("/desk/departments/new/", data)
            assert response.status_code == 400, data
            assert message in response.content.decode(), data
        assert Department.objects.count() == before

    def test_a_name_is_unique_in_its_unit_with_a_clear_message(self, territory, departments):
        client = client_for(territory.users["county_office"])
        response = client.post("/desk/departments/new/", {"name": "县自然资源局"})
        assert response.status_code == 400
        assert "The county already has a department named “县自然资源局”." in (
            response.content.decode()
        )
        response = client.post(
            "/desk/departments/new/", {"name": "司法所", "township": territory.tubu.pk}
        )
        assert response.status_code == 400
        assert "涂埠镇 already has a station named “司法所”." in response.content.decode()
        # Renaming into a name taken in the same unit is refused the same way.
        response = client.post(
            f"/desk/departments/{departments['land'].pk}/",
            {"name": "县人力资源和社会保障局", "active": "on"},
        )
        assert response.status_code == 400
        assert "The county already has a department named" in response.content.decode()
        departments["land"].refresh_from_db()
        assert departments["land"].name == "县自然资源局"

    def test_deactivating_keeps_open_slips_and_leaves_the_category_map(
        self, territory, departments, report
    ):
        slip = routed(report, territory, departments["land"], reply_by=timezone.localdate())
        CategoryRoute.objects.create(
            county=territory.county,
            category=Category.objects.get(code="land-housing"),
            department=departments["land"],
        )
        client = client_for(territory.users["county_office"])
        form = client.get(f"/desk/departments/{departments['land'].pk}/")
        assert form.status_code == 200
        assert "the cases routed to it that are still open stay with it" in form.content.decode()
        response = client.post(
            f"/desk/departments/{departments['land'].pk}/",
            {"name": "县自然资源局", "code": "11360425MB", "township": ""},
        )
        assert response.status_code == 302
        departments["land"].refresh_from_db()
        assert not departments["land"].active
        flash = [str(m) for m in client.get("/desk/departments/").context["messages"]]
        assert flash == [
            "县自然资源局 is inactive: it is no longer offered for routing; "
            "its 1 open routing stays with it."
        ]
        slip.refresh_from_db()
        assert slip.status == Routing.Status.PENDING and slip.department == departments["land"]
        assert not CategoryRoute.objects.filter(department=departments["land"]).exists()
        listed = client.get("/desk/departments/").content.decode()
        assert 'class="department inactive"' in listed
        # And back: active again (the map is the office's to set again).
        response = client.post(
            f"/desk/departments/{departments['land'].pk}/",
            {"name": "县自然资源局", "code": "", "township": "", "active": "on"},
        )
        assert response.status_code == 302
        departments["land"].refresh_from_db()
        assert departments["land"].active and departments["land"].code == ""

    def test_a_township_leader_manages_only_its_own_stations(self, territory, departments):
        client = client_for(territory.users["township_leader"])
        response = client.post(
            "/desk/departments/new/", {"name": "派出所", "township": territory.tubu.pk}
        )
        assert response.status_code == 302
        assert Department.objects.get(name="派出所").township == territory.tubu
        for township in ("", territory.wucheng.pk):
            response = client.post(
                "/desk/departments/new/", {"name": "农技站", "township": township}
            )
            assert response.status_code == 400, township
        assert not Department.objects.filter(name="农技站").exists()
        station = departments["tubu_justice"]
        response = client.post(
            f"/desk/departments/{station.pk}/",
            {"name": "涂埠司法所", "township": territory.tubu.pk, "active": "on"},
        )
        assert response.status_code == 302
        station.refresh_from_db()
        assert station.name == "涂埠司法所"

    def test_another_countys_departments_are_404_and_never_listed(
        self, territory, departments, neighbour
    ):
        theirs = Department.objects.create(county=neighbour.county, name="德安县自然资源局")
        ours = client_for(territory.users["county_office"])
        assert "德安县自然资源局" not in ours.get("/desk/departments/").content.decode()
        assert ours.get(f"/desk/departments/{theirs.pk}/").status_code == 404
        response = ours.post(f"/desk/departments/{theirs.pk}/", {"name": "改名", "active": "on"})
        assert response.status_code == 404
        theirs.refresh_from_db()
        assert theirs.name == "德安县自然资源局"
        dean = client_for(neighbour.users["county_office"])
        assert dean.get(f"/desk/departments/{departments['land'].pk}/").status_code == 404
        assert [d.name for d in dean.get("/desk/departments/").context["departments"]] == [
            "德安县自然资源局"
        ]
        # The same name in another county is no clash.
        response = dean.post("/desk/departments/new/", {"name": "县自然资源局"})
        assert response.status_code == 302

    def test_an_id_that_is_not_a_number_is_404(self, territory):
        client = client_for(territory.users["county_office"])
        assert client.get("/desk/departments/abc/").status_code == 404
        assert client.get("/desk/departments/99999999999999999999/").status_code == 404


class TestTheCategoryMap:
    def test_the_office_maps_categories_and_the_list_shows_them(self, territory, departments):
        client = client_for(territory.users["county_office"])
        page = client.get("/desk/departments/categories/")
        assert page.status_code == 200
        html = page.content.decode()
        # Only active county departments are offered; stations are their township's.
        assert 'name="category-labour-wages"' in html and "县人力资源和社会保障局" in html
        assert "司法所" not in html
        labour, land = departments["labour"].pk, departments["land"].pk
        response = client.post(
            "/desk/departments/categories/",
            {
                "category-labour-wages": [labour],
                "category-land-housing": [land],
                "category-requisition-demolition": [land, labour],
            },
        )
        assert response.status_code == 302 and response["Location"] == "/desk/departments/"
        saved = sorted(
            CategoryRoute.objects.filter(county=territory.county).values_list(
                "category__code", "department__name"
            )
        )
        assert saved == [
            ("labour-wages", "县人力资源和社会保障局"),
            ("land-housing", "县自然资源局"),
            ("requisition-demolition", "县人力资源和社会保障局"),
            ("requisition-demolition", "县自然资源局"),
        ]
        listed = client.get("/desk/departments/")
        by_pk = {d.pk: d for d in listed.context["departments"]}
        assert [c.code for c in by_pk[land].categories] == [
            "land-housing",
            "requisition-demolition",
        ]
        # The form shows the map as saved, and a new save replaces the whole map.
        again = client.get("/desk/departments/categories/").context["form"]
        assert list(again["category-land-housing"].initial) == [land]
        response = client.post("/desk/departments/categories/", {"category-environment": [land]})
        assert response.status_code == 302
        assert list(
            CategoryRoute.objects.filter(county=territory.county).values_list(
                "category__code", "department_id"
            )
        ) == [("environment", land)]

    def test_a_bad_map_is_400_and_changes_nothing(self, territory, departments, neighbour):
        CategoryRoute.objects.create(
            county=territory.county,
            category=Category.objects.get(code="labour-wages"),
            department=departments["labour"],
        )
        theirs = Department.objects.create(county=neighbour.county, name="德安县人社局")
        asleep = Department.objects.create(county=territory.county, name="县档案局", active=False)
        client = client_for(territory.users["county_office"])
        for value, message in (
            (theirs.pk, "Select a valid choice"),
            (asleep.pk, "Select a valid choice"),
            (departments["tubu_justice"].pk, "Select a valid choice"),
            ("abc", "is not a valid value"),
            ("99999999999999999999", "Select a valid choice"),
        ):
            response = client.post(
                "/desk/departments/categories/",
                {"category-labour-wages": [departments["land"].pk, value]},
            )
            assert response.status_code == 400, value
            assert message in response.content.decode(), value
        assert list(
            CategoryRoute.objects.filter(county=territory.county).values_list(
                "category__code", "department_id"
            )
        ) == [("labour-wages", departments["labour"].pk)]

    def test_an_inactive_category_is_not_on_the_map(self, territory, departments):
        Category.objects.filter(code="other").update(active=False)
        client = client_for(territory.users["county_office"])
        assert (
            'name="category-other"'
            not in client.get("/desk/departments/categories/").content.decode()
        )
        response = client.post(
            "/desk/departments/categories/", {"category-other": [departments["land"].pk]}
        )
        assert response.status_code == 302
        assert not CategoryRoute.objects.filter(category__code="other").exists()


class TestTheAdmin:
    def test_departments_are_listed_filtered_and_searched_but_not_deleted(
        self, territory, departments, admin_client
    ):
        page = admin_client.get("/admin/villages/department/", {"q": "司法所"})
        assert page.status_code == 200
        assert page.context["cl"].result_count == 2
        page = admin_client.get(
            "/admin/villages/department/", {"township__id__exact": territory.tubu.pk}
        )
        assert page.context["cl"].result_count == 1
        land = departments["land"].pk
        assert admin_client.get(f"/admin/villages/department/{land}/change/").status_code == 200
        assert admin_client.get(f"/admin/villages/department/{land}/delete/").status_code == 403

    def test_the_staff_admin_keeps_role_and_department_together(
        self, territory, departments, admin_client
    ):
        staff = Staff.objects.get(user=territory.users["township_leader"])
        data = {
            "user": staff.user_id,
            "role": "department_staff",
            "county": territory.county.pk,
            "region_code": "",
            "township": "",
            "village": "",
            "mobile": "",
            "department": "",
        }
        url = f"/admin/villages/staff/{staff.pk}/change/"
        response = admin_client.post(url, data)
        assert response.status_code == 200
        assert "部门工作人员须选择所属部门" in response.content.decode()  # need a department
        data.update(role="township_leader", township=territory.tubu.pk)
        data["department"] = departments["land"].pk
        response = admin_client.post(url, data)
        assert response.status_code == 200
        assert "只有部门工作人员才有所属部门" in response.content.decode()
        data.update(role="department_staff", township="")
        assert admin_client.post(url, data).status_code == 302
        staff.refresh_from_db()
        assert (staff.role, staff.department) == ("department_staff", departments["land"])


def test_the_list_costs_the_same_queries_however_many_departments(territory, departments):
    client = client_for(territory.users["county_office"])
    client.get("/desk/departments/")  # the session and the user, loaded once

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/desk/departments/").status_code == 200
        return len(captured)

    before = queries()
    for n in range(5):
        department = Department.objects.create(county=territory.county, name=f"县第{n}局")
        clerk(territory, department, username=f"clerk_{n}")
        CategoryRoute.objects.create(
            county=territory.county,
            category=Category.objects.get(code="other"),
            department=department,
        )
    assert queries() == before


def test_a_departments_page_lists_its_staff_and_links_a_new_account(territory, departments):
    clerk(territory, departments["labour"])
    client = client_for(territory.users["county_office"])
    page = client.get(f"/desk/departments/{departments['labour'].pk}/").content.decode()
    assert "clerk_labour" in page
    link = f"/desk/people/new/?role=department_staff&amp;department={departments['labour'].pk}"
    assert link in page
    form = client.get(link.replace("&amp;", "&")).context["form"]
    assert (form["role"].value(), form["department"].value()) == (
        "department_staff",
        departments["labour"].pk,
    )
    # A township leader sees its station's staff, and that the county makes their accounts.
    station = departments["tubu_justice"]
    clerk(territory, station, username="clerk_tubu")
    page = client_for(territory.users["township_leader"]).get(f"/desk/departments/{station.pk}/")
    assert "clerk_tubu" in page.content.decode()
    assert "/desk/people/" not in page.content.decode().split('id="department-staff"')[1]


def test_the_map_service_refuses_what_the_form_would_not_offer(territory, departments, neighbour):
    labour = Category.objects.get(code="labour-wages")
    category_map_save(county=territory.county, routes={labour: [departments["labour"]]})
    theirs = Department.objects.create(county=neighbour.county, name="德安县人社局")
    retired = Category.objects.create(code="retired", name="旧类别", active=False)
    for routes in (
        {labour: [departments["land"], theirs]},
        {labour: [departments["tubu_justice"]]},
        {retired: [departments["land"]]},
    ):
        with pytest.raises(ValidationError):
            category_map_save(county=territory.county, routes=routes)
    assert list(CategoryRoute.objects.values_list("category", "department")) == [
        (labour.pk, departments["labour"].pk)
    ]
