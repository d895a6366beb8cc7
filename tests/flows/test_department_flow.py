"""转办 on pages: the county office routes a township's case to 县人力资源和社会保障局 from the
desk; the department's clerk logs in, accepts it and resolves it with a reply; the township
leader makes the return visit (回访)."""

from datetime import timedelta

from django.contrib.auth.models import Permission
from django.utils import timezone

from disputes.models import Case, CaseEvent, Routing
from tests.factories import UserFactory
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS
from tests.flows.test_desk_loop import desk_login, do, township_case
from villages.models import Department, Staff

pytestmark = BROWSER_MARKS


def labour_bureau(territory):
    """县人力资源和社会保障局 and its clerk (the demo county's department_staff)."""
    department = Department.objects.create(county=territory.county, name="县人力资源和社会保障局")
    Department.objects.create(county=territory.county, name="县自然资源局")
    clerk = UserFactory(username="department_staff", first_name="王", last_name="")
    Staff.objects.create(
        user=clerk, role=Staff.Role.DEPARTMENT_STAFF, county=territory.county, department=department
    )
    clerk.user_permissions.add(Permission.objects.get(codename="view_party_identity"))
    return department, clerk


def test_a_department_handles_a_routed_case_on_pages(browser, live_server, territory):
    ARTIFACTS.mkdir(exist_ok=True)
    case_id = township_case(territory)
    department, clerk = labour_bureau(territory)
    reply_by = (timezone.localdate() + timedelta(days=20)).isoformat()

    office_context, office = desk_login(browser, live_server, territory.users["county_office"])
    office.goto(f"/desk/cases/{case_id}/")
    office.click("#action-route > summary")
    office.select_option("#id_route-department", str(department.pk))
    office.fill("#id_route-reply_by", reply_by)
    office.fill("#id_route-instructions", "请核实拖欠工资情况并答复")
    office.screenshot(path=ARTIFACTS / "department-route.png", full_page=True)
    office.click("#action-route button[type=submit]")
    office.wait_for_selector(".flash.success")
    office.wait_for_selector("#routings")
    assert "县人力资源和社会保障局" in office.inner_text("#routings")
    assert Case.objects.get(pk=case_id).department_id == department.pk
    office_context.close()

    context, page = desk_login(browser, live_server, clerk)
    page.wait_for_selector("#department-desk")
    page.screenshot(path=ARTIFACTS / "department-home.png", full_page=True)
    page.click(f"#department-to-accept tr[data-case='{case_id}'] a")
    page.wait_for_selector("#action-route_accept")
    assert page.query_selector("#action-resolve") is None  # first accept or return the routing
    do(page, "route_accept")
    page.wait_for_selector(".flash.success")
    assert Case.objects.get(pk=case_id).status == "accepted"
    do(
        page,
        "resolve",
        {"note": "已责令用人单位支付", "reply": "经核查，用人单位已足额支付拖欠工资。"},
        selects={"outcome": "settled"},
    )
    page.wait_for_selector(".flash.success")
    page.screenshot(path=ARTIFACTS / "department-resolved.png", full_page=True)
    assert page.query_selector("#action-follow_up") is None  # the township visits
    context.close()

    context, page = desk_login(browser, live_server, territory.users["township_leader"])
    page.goto(f"/desk/cases/{case_id}/")
    page.click("#action-follow_up > summary")
    page.check("#action-follow_up input[value=satisfied]")
    page.fill("#id_follow_up-note", "回访当事人，对处理结果满意")
    page.click("#action-follow_up button[type=submit]")
    page.wait_for_selector(".flash.success")
    page.screenshot(path=ARTIFACTS / "department-follow-up.png", full_page=True)
    context.close()

    case = Case.objects.get(pk=case_id)
    assert (case.status, case.satisfaction, case.department_id) == (
        "followed_up",
        "satisfied",
        department.pk,
    )
    slip = Routing.objects.get(case_id=case_id)
    assert (slip.status, slip.replied_by_id) == ("done", clerk.pk)
    assert list(
        CaseEvent.objects.filter(case_id=case_id)
        .exclude(action__in=["report", "escalate"])
        .values_list("action", flat=True)
    ) == ["route", "route_take", "resolve", "follow_up"]
