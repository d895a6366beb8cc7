"""The leaders' supervision page (/supervision/): the area's late cases, notices by hand."""

from datetime import date

import pytest
from django.test import Client

from disputes.cases.services import lifecycle
from disputes.models import Notification, SupervisionNotice
from disputes.oversight.services.supervision import supervision_run
from tests.disputes.conftest import NANZHOU_01, WUCHENG_01, api
from tests.disputes.oversight.test_supervision import at

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 22)


@pytest.fixture
def cases(report, territory, settings):
    """On 2026-03-22: acceptance overdue in 兴杨 (5 days), 南洲 (2 days) and 吴城镇; a return
    visit overdue in 兴杨 (1 day); acceptance due soon in 兴杨 (in 2 days); one far off.
    """
    settings.SUPERVISION_ESCALATE_AFTER_DAYS = 30
    settings.CASE_FOLLOW_UP_DAYS = 15
    worker = territory.users["grid_worker"]
    ids = {}
    with at(date(2026, 3, 1)):
        ids["follow_up"] = report().data["id"]
    with at(date(2026, 3, 2)):
        ids["xingyang"] = report().data["id"]  # due 03-17
        ids["wucheng"] = report("county_office", point=WUCHENG_01).data["id"]
    with at(date(2026, 3, 5)):
        ids["nanzhou"] = report("county_office", point=NANZHOU_01).data["id"]  # due 03-20
    with at(date(2026, 3, 6)):
        lifecycle.case_accept(case_id=ids["follow_up"], actor=worker)
        lifecycle.case_resolve(case_id=ids["follow_up"], actor=worker, outcome="settled")
    with at(date(2026, 3, 9)):
        ids["soon"] = report().data["id"]  # due 03-24
    with at(date(2026, 3, 15)):
        report()  # due 03-30
    with at(TODAY):
        supervision_run()
    return ids


def client_of(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def listed(response) -> list[int]:
    return [row["case"].pk for row in response.context["rows"]]


def test_a_township_leader_sees_the_late_cases_of_the_township_most_overdue_first(cases, territory):
    with at(TODAY):
        response = client_of(territory.users["township_leader"]).get("/supervision/")
    assert response.status_code == 200
    assert listed(response) == [
        cases["xingyang"],
        cases["nanzhou"],
        cases["follow_up"],
        cases["soon"],
    ]
    first = response.context["rows"][0]
    assert (first["days_overdue"], first["case"].unit_name, first["case"].notices_count) == (
        5,
        territory.grids["xingyang-01"].name,
        1,
    )
    follow_up = response.context["rows"][2]
    assert (follow_up["days_overdue"], follow_up["case"].deadline_kind) == (1, "follow_up")
    assert response.context["rows"][3]["days_overdue"] == -2
    assert first["last_notice"] and first["may_issue"]
    assert f'id="case-{cases["wucheng"]}"' not in response.content.decode()


def test_the_list_sorts_by_days_overdue_either_way_and_by_unit(cases, territory):
    leader = client_of(territory.users["township_leader"])
    with at(TODAY):
        least = leader.get("/supervision/", {"ordering": "days_overdue"})
        by_unit = leader.get("/supervision/", {"ordering": "unit"})
        by_unit_desc = leader.get("/supervision/", {"ordering": "-unit"})
    assert listed(least) == [
        cases["soon"],
        cases["follow_up"],
        cases["nanzhou"],
        cases["xingyang"],
    ]
    names = [row["case"].unit_name for row in by_unit.context["rows"]]
    assert names == sorted(names) and len(set(names)) == 2
    assert by_unit_desc.context["rows"][0]["case"].unit_name == max(names)


def test_filters_by_time_limit_stage_level_and_case(cases, territory):
    leader = client_of(territory.users["township_leader"])
    with at(TODAY):
        assert listed(leader.get("/supervision/", {"due": "soon"})) == [cases["soon"]]
        assert listed(leader.get("/supervision/", {"due": "overdue"})) == [
            cases["xingyang"],
            cases["nanzhou"],
            cases["follow_up"],
        ]
        assert listed(leader.get("/supervision/", {"stage": "follow_up"})) == [cases["follow_up"]]
        assert listed(leader.get("/supervision/", {"stage": "handling"})) == []
        assert len(listed(leader.get("/supervision/", {"stage": "acceptance"}))) == 3
        # 南洲's grid has no grid worker: its case is held by the village.
        assert listed(leader.get("/supervision/", {"level": "village"})) == [cases["nanzhou"]]
        assert listed(leader.get("/supervision/", {"level": "township"})) == []
        assert listed(leader.get("/supervision/", {"case": cases["nanzhou"]})) == [cases["nanzhou"]]
        # Another township's case asked for by number shows nothing.
        assert listed(leader.get("/supervision/", {"case": cases["wucheng"]})) == []


def test_each_user_sees_only_their_area(cases, territory):
    with at(TODAY):
        wucheng = client_of(territory.users["other_township_leader"]).get("/supervision/")
        cadre = client_of(territory.users["other_village_cadre"]).get("/supervision/")
        county = client_of(territory.users["county_office"]).get("/supervision/")
    assert listed(wucheng) == [cases["wucheng"]]
    assert listed(cadre) == [cases["nanzhou"]]
    assert not any(row["may_issue"] for row in cadre.context["rows"])
    assert "Issue supervision notice" not in cadre.content.decode()
    assert set(listed(county)) == set(cases.values())


def test_without_an_area_404_and_anonymous_to_the_login(territory):
    assert client_of(territory.users["no_role"]).get("/supervision/").status_code == 404
    response = Client().get("/supervision/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_leader_issues_a_notice_from_the_page_and_the_holder_reads_it_there(cases, territory):
    leader = Client(HTTP_ACCEPT_LANGUAGE="en", enforce_csrf_checks=True)
    leader.force_login(territory.users["township_leader"])
    case_id = cases["soon"]
    with at(TODAY):
        page = leader.get("/supervision/", {"ordering": "days_overdue"})
        token = page.cookies["csrftoken"].value
        assert f'action="/supervision/{case_id}/notice/"' in page.content.decode()
        refused = leader.post(f"/supervision/{case_id}/notice/", {"note": "无令牌"})
        assert refused.status_code == 403  # no CSRF token
        response = leader.post(
            f"/supervision/{case_id}/notice/",
            {"note": "请三日内反馈", "next": "ordering=days_overdue", "csrfmiddlewaretoken": token},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == "/supervision/?ordering=days_overdue"
    assert f"Supervision notice issued for case #{case_id}." in response.content.decode()
    notice = SupervisionNotice.objects.get(case=case_id, kind="manual")
    assert (notice.issued_by, notice.note, notice.stage) == (
        territory.users["township_leader"],
        "请三日内反馈",
        "acceptance",
    )
    worker = territory.users["grid_worker"]
    assert Notification.objects.filter(user=worker, notice=notice, read_at=None).exists()

    # The grid worker opens the page: their notifications, unread count, then read.
    unread_before = Notification.objects.filter(user=worker, read_at=None).count()
    with at(TODAY):
        page = client_of(worker).get("/supervision/")
    # Due soon and manual for this case, overdue for two others.
    assert page.context["unread"] == unread_before == 4
    texts = [row["text"] for row in page.context["notifications"]]
    assert any(f"#{case_id}" in t and "supervised by a leader" in t for t in texts)
    assert f'href="/supervision/?case={case_id}"' in page.content.decode()
    assert api(worker).get("/api/notifications/unread/").data == {"unread": 0}


def test_a_village_cadre_cannot_issue_a_notice(cases, territory):
    cadre = client_of(territory.users["village_cadre"])
    with at(TODAY):
        response = cadre.post(f"/supervision/{cases['xingyang']}/notice/", {"note": "催办"})
    assert response.status_code == 403
    assert "township leader or above" in response.context["error"]
    assert not SupervisionNotice.objects.filter(kind="manual").exists()


def test_outside_the_area_404_and_a_note_is_required(cases, territory):
    with at(TODAY):
        other = client_of(territory.users["other_township_leader"]).post(
            f"/supervision/{cases['xingyang']}/notice/", {"note": "催办"}
        )
        empty = client_of(territory.users["township_leader"]).post(
            f"/supervision/{cases['xingyang']}/notice/", {"note": "  "}
        )
    assert other.status_code == 404
    assert empty.status_code == 400 and empty.context["error"]
    assert not SupervisionNotice.objects.filter(kind="manual").exists()


def test_a_busy_page_takes_a_fixed_number_of_queries(
    cases, report, territory, django_assert_max_num_queries
):
    with at(date(2026, 3, 2)):
        for _ in range(10):
            report()
    leader = client_of(territory.users["township_leader"])
    # 8 for the page, 2 for the navigation's rules (figures_units, bulletin_units).
    with at(TODAY), django_assert_max_num_queries(10):
        response = leader.get("/supervision/")
    assert len(response.context["rows"]) == 14


def test_the_api_list_sorts_by_days_overdue_and_due_date(cases, territory):
    leader = api(territory.users["township_leader"])
    most = leader.get("/api/supervision/", {"ordering": "-days_overdue"}).data["results"]
    least = leader.get("/api/supervision/", {"ordering": "days_overdue"}).data["results"]
    by_due = leader.get("/api/supervision/", {"ordering": "due_date"}).data["results"]
    assert [n["days_overdue"] for n in most] == [5, 2, 1, 0]
    assert [n["days_overdue"] for n in least] == [0, 1, 2, 5]
    assert [n["due_date"] for n in by_due] == [
        "2026-03-17",
        "2026-03-20",
        "2026-03-21",
        "2026-03-24",
    ]


def test_a_plain_message_shows_on_the_page_and_in_the_api(territory):
    from disputes.oversight.services.notifications import notifications_create

    cadre = territory.users["village_cadre"]
    notifications_create(users=[cadre], message="今日零报告未提交", link="/maps/territory/")
    page = client_of(cadre).get("/supervision/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert page.context["unread"] == 1
    assert '<a href="/maps/territory/">今日零报告未提交</a>' in page.content.decode()
    [item] = api(cadre).get("/api/notifications/").data["results"]
    assert (item["notice"], item["message"], item["link"]) == (
        None,
        "今日零报告未提交",
        "/maps/territory/",
    )
    assert item["read_at"] is not None  # opening the page read it
