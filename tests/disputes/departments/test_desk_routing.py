"""转办 on the desk: the route form with suggested departments and their load, the department
clerk's home, list and case page, and clear refusals (400 / 409 / 404, never 500)."""

import re
from datetime import date

import pytest
from django.test import Client

from disputes.departments.services import routing as services
from disputes.desk.services import case_version
from disputes.models import Case, CategoryRoute, Routing
from tests.disputes.conftest import WUCHENG_01
from tests.disputes.departments.conftest import at

pytestmark = pytest.mark.django_db


def browser(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def offered(html: str) -> list[str]:
    return re.findall(r'<details class="action" id="action-([a-z_]+)"', html)


def act(client, case_id, action, **values):
    data = {f"{action}-version": case_version(Case.objects.get(pk=case_id))}
    for key, value in values.items():
        data[f"{action}-{key}"] = value
    return client.post(f"/desk/cases/{case_id}/do/{action}/", data)


def test_the_county_office_routes_from_the_desk_with_suggestions_first(
    territory, departments, township_case, report
):
    CategoryRoute.objects.create(
        county=territory.county, category=township_case.category, department=departments.land
    )
    office = browser(territory.users["county_office"])
    with at(date(2026, 3, 3)):
        busy = report().data["id"]  # the labour bureau has one case already
        services.routing_route(
            case_id=busy,
            actor=territory.users["county_office"],
            department_id=departments.labour.pk,
            reply_by=date(2026, 4, 2),
        )
        other = township_case
        html = office.get(f"/desk/cases/{other.pk}/").content.decode()
        assert "route" in offered(html)
        select = re.search(r'<select name="route-department".*?</select>', html, re.S).group(0)
        names = re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', select)
        assert names[0].startswith("★ 县自然资源局")  # mapped to the case's category
        assert "0 open, 0 overdue" in names[0]
        labour = next(name for name in names if name.startswith("县人力资源和社会保障局"))
        assert "1 open, 0 overdue" in labour
        assert {"涂埠镇司法所", "吴城镇司法所"} <= {name.split(" · ")[0] for name in names}
        response = act(
            office,
            other.pk,
            "route",
            department=departments.labour.pk,
            reply_by="2026-04-02",
            instructions="请核实",
            assist=departments.land.pk,
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(pk=other.pk)
    assert case.department == departments.labour
    assert Routing.objects.filter(case=case).count() == 2
    html = office.get(f"/desk/cases/{case.pk}/").content.decode()
    assert 'id="routings"' in html and "县人力资源和社会保障局" in html
    assert "route" not in offered(html) and "route_withdraw" in offered(html)


@pytest.mark.parametrize(
    ("values", "status", "text"),
    [
        ({"reply_by": "2026-03-03"}, 400, "after today"),
        ({"reply_by": "2026-07-01"}, 400, "2026-05-02"),
        ({"reply_by": "not a date"}, 400, ""),
        ({"reply_by": "99999-01-01"}, 400, ""),
        ({"department": "999999"}, 400, ""),
        ({"department": "x" * 300}, 400, ""),
        ({"assist": "LEAD"}, 400, "cannot also be co-handling"),
    ],
)
def test_bad_routing_input_is_a_clear_400(
    territory, departments, township_case, values, status, text
):
    office = browser(territory.users["county_office"])
    data = {"department": departments.labour.pk, "reply_by": "2026-04-02", **values}
    if data.get("assist") == "LEAD":
        data["assist"] = departments.labour.pk
    with at(date(2026, 3, 3)):
        response = act(office, township_case.pk, "route", **data)
    assert response.status_code == status
    assert text in response.content.decode()
    assert not Routing.objects.exists()


def test_a_township_leader_is_offered_only_the_townships_stations(
    territory, departments, township_case
):
    leader = browser(territory.users["township_leader"])
    with at(date(2026, 3, 3)):
        html = leader.get(f"/desk/cases/{township_case.pk}/").content.decode()
        select = re.search(r'<select name="route-department".*?</select>', html, re.S).group(0)
        assert "涂埠镇司法所" in select
        assert "县人力资源和社会保障局" not in select and "吴城镇司法所" not in select
        refused = act(
            leader,
            township_case.pk,
            "route",
            department=departments.labour.pk,
            reply_by="2026-04-02",
        )
        assert refused.status_code == 400
        assert (
            act(
                leader,
                township_case.pk,
                "route",
                department=departments.tubu_station.pk,
                reply_by="2026-04-02",
            ).status_code
            == 302
        )


def test_the_department_clerk_works_the_case_from_the_desk(
    territory, departments, township_case, report
):
    with at(date(2026, 3, 3)):
        services.routing_route(
            case_id=township_case.pk,
            actor=territory.users["county_office"],
            department_id=departments.labour.pk,
            reply_by=date(2026, 4, 2),
        )
    others = [report().data["id"], report(point=WUCHENG_01, user_key="county_office").data["id"]]
    clerk = browser(departments.clerks["labour"])
    with at(date(2026, 3, 4)):
        home = clerk.get("/desk/")
        assert home.status_code == 200
        html = home.content.decode()
        assert 'id="department-desk"' in html
        to_accept = re.search(r'id="department-to-accept".*?</table>', html, re.S).group(0)
        assert f'data-case="{township_case.pk}"' in to_accept

        listed = clerk.get("/desk/cases/").content.decode()
        assert (
            f"data-case='{township_case.pk}'" in listed
            or f'data-case="{township_case.pk}"' in listed
        )
        for other in others:
            assert f"#{other}<" not in listed
            assert clerk.get(f"/desk/cases/{other}/").status_code == 404
            assert act(clerk, other, "route_accept").status_code == 404

        page = clerk.get(f"/desk/cases/{township_case.pk}/").content.decode()
        # before accepting the routing: accept or return it, nothing else of the case's
        assert {"route_accept", "route_return"} <= set(offered(page))
        assert not {"accept", "reject", "resolve", "escalate", "route"} & set(offered(page))
        assert act(clerk, township_case.pk, "route_return", reason="").status_code == 400
        assert act(clerk, township_case.pk, "route_accept").status_code == 302
        page = clerk.get(f"/desk/cases/{township_case.pk}/").content.decode()
        assert "resolve" in offered(page) and "route_return" not in offered(page)
        # a second accept from a page shown before: the case changed (409), nothing twice
        stale = clerk.post(
            f"/desk/cases/{township_case.pk}/do/route_accept/",
            {"route_accept-version": case_version(township_case) - 1},
        )
        assert stale.status_code == 409
        resolved = act(
            clerk,
            township_case.pk,
            "resolve",
            outcome="settled",
            note="已督促支付",
            reply="企业已足额支付工资。",
        )
        assert resolved.status_code == 302
    slip = Routing.objects.get(case_id=township_case.pk)
    assert (slip.status, slip.reply) == ("done", "企业已足额支付工资。")
    with at(date(2026, 3, 5)):
        page = clerk.get(f"/desk/cases/{township_case.pk}/").content.decode()
        assert "follow_up" not in offered(page)
        leader_page = browser(territory.users["township_leader"]).get(
            f"/desk/cases/{township_case.pk}/"
        )
        assert "follow_up" in offered(leader_page.content.decode())
        home = clerk.get("/desk/").content.decode()
        replies = re.search(r'id="department-replies".*?</table>', home, re.S).group(0)
        assert f'data-case="{township_case.pk}"' in replies


def test_a_returned_case_leaves_the_departments_list(territory, departments, township_case):
    with at(date(2026, 3, 3)):
        services.routing_route(
            case_id=township_case.pk,
            actor=territory.users["county_office"],
            department_id=departments.labour.pk,
            reply_by=date(2026, 4, 2),
        )
    clerk = browser(departments.clerks["labour"])
    with at(date(2026, 3, 4)):
        assert clerk.get(f"/desk/cases/{township_case.pk}/").status_code == 200
        assert act(clerk, township_case.pk, "route_return", reason="非本局职责").status_code == 302
        assert clerk.get(f"/desk/cases/{township_case.pk}/").status_code == 404
        listed = clerk.get("/desk/cases/").content.decode()
        assert f"/desk/cases/{township_case.pk}/" not in listed
        leader = browser(territory.users["township_leader"])
        page = leader.get(f"/desk/cases/{township_case.pk}/").content.decode()
        assert "非本局职责" in page and "route" in offered(page) and "accept" in offered(page)


def test_the_routing_unit_withdraws_from_the_desk(territory, departments, township_case):
    with at(date(2026, 3, 3)):
        slip = services.routing_route(
            case_id=township_case.pk,
            actor=territory.users["county_office"],
            department_id=departments.labour.pk,
            reply_by=date(2026, 4, 2),
        )
        office = browser(territory.users["county_office"])
        assert (
            act(office, township_case.pk, "route_withdraw", routing=999999, reason="x").status_code
            == 400
        )
        response = act(office, township_case.pk, "route_withdraw", routing=slip.pk, reason="改派")
    assert response.status_code == 302
    assert Case.objects.get(pk=township_case.pk).department_id is None
    assert Routing.objects.get(pk=slip.pk).status == "withdrawn"


def test_late_slips_are_marked_on_the_case_and_the_departments_home(
    territory, departments, township_case
):
    with at(date(2026, 3, 3)):
        services.routing_route(
            case_id=township_case.pk,
            actor=territory.users["county_office"],
            department_id=departments.labour.pk,
            reply_by=date(2026, 3, 20),
            assist_ids=[departments.land.pk],
        )
    with at(date(2026, 3, 21)):
        page = browser(territory.users["township_leader"]).get(f"/desk/cases/{township_case.pk}/")
        routings = re.search(r'id="routings".*?</table>', page.content.decode(), re.S).group(0)
        assert routings.count('<span class="overdue">2026-03-20</span>') == 2
        home = browser(departments.clerks["land"]).get("/desk/").content.decode()
        late = re.search(r'id="department-overdue".*?</table>', home, re.S).group(0)
        assert f'data-case="{township_case.pk}"' in late and 'class="overdue"' in late
        waiting = re.search(r'id="department-assist".*?</table>', home, re.S).group(0)
        assert f'data-case="{township_case.pk}"' in waiting
