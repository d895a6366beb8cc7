"""The backlog page and the case page's 包案 part, as their users see them."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from disputes.desk.services import case_version
from disputes.models import CaseLeader
from disputes.ownership.services import leaders
from tests.disputes.ownership.conftest import at

pytestmark = pytest.mark.django_db


def browser(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def old_case(reported, settings):
    settings.BACKLOG_DAYS = 90
    return reported(date(2026, 1, 5), category="labour-wages")


def test_the_backlog_page_answers_only_leaders_of_the_area(old_case, territory):
    users = territory.users
    with at(date(2026, 6, 17)):
        own = browser(users["township_leader"]).get("/desk/backlog/")
        county = browser(users["county_office"]).get("/desk/backlog/")
        other = browser(users["other_township_leader"]).get("/desk/backlog/")
        for role in ("village_cadre", "grid_worker", "mediator", "no_role"):
            assert browser(users[role]).get("/desk/backlog/").status_code == 404, role
        assert Client().get("/desk/backlog/").status_code == 302
    assert own.status_code == county.status_code == other.status_code == 200
    row = f'<tr data-case="{old_case.pk}">'
    assert row in own.content.decode() and row in county.content.decode()
    assert row not in other.content.decode()
    text = own.content.decode()
    assert "no leader" in text and 'id="count-without-leader"' in text
    # Due this week and missing its note; the chart and the weekly table are drawn.
    assert f'<li data-case="{old_case.pk}">' in text
    assert (
        'id="backlog-chart"' in text
        and "<rect" in text
        and "<script>" not in text
        and "style=" not in text
    )
    assert text.count('<tr data-monday="') == 12
    # The link in the navigation of those who may open it only.
    assert 'href="/desk/backlog/"' in text
    desk = browser(users["village_cadre"]).get("/desk/").content.decode()
    assert 'href="/desk/backlog/"' not in desk and 'id="backlog-summary"' not in desk
    # The desk home of the area's leaders sums it up.
    with at(date(2026, 6, 17)):
        home = browser(users["county_office"]).get("/desk/").content.decode()
        other_home = browser(users["other_township_leader"]).get("/desk/").content.decode()
    summary = 'id="backlog-summary" data-cases="1" data-without-leader="1" data-missing="1"'
    assert summary in home
    assert 'id="backlog-summary"' not in other_home


@pytest.mark.parametrize(
    "query", ["week=yesterday", "week=1999-12-31", "week=2030-01-01", "weeks=0", "weeks=x"]
)
def test_bad_parameters_are_a_clear_400(territory, query):
    with at(date(2026, 6, 17)):
        response = browser(territory.users["county_office"]).get(f"/desk/backlog/?{query}")
    assert response.status_code == 400
    assert 'id="errors"' in response.content.decode()


def test_an_earlier_week_and_a_shorter_table(old_case, territory):
    with at(date(2026, 6, 17)):
        response = browser(territory.users["county_office"]).get(
            "/desk/backlog/?week=2026-06-03&weeks=3"
        )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-monday="2026-06-01"' in text and 'data-monday="2026-05-25"' in text
    assert text.count('<tr data-monday="') == 3


def test_the_county_office_names_the_leader_from_the_case_page(old_case, territory):
    users = territory.users
    office, leader = browser(users["county_office"]), users["township_leader"]
    page = office.get(f"/desk/cases/{old_case.pk}/").content.decode()
    assert 'id="action-lead"' in page and 'id="action-mark"' in page
    assert 'id="action-meet"' not in page
    assert f'<option value="{leader.pk}">' in page
    assert f'<option value="{users["other_township_leader"].pk}">' not in page
    assert 'id="no-leader"' in page
    # A leader of another township is not among the choices, even when posted.
    base = {"lead-version": case_version(old_case), "lead-unit": "涂埠镇", "lead-person": "王"}
    refused = office.post(
        f"/desk/cases/{old_case.pk}/do/lead/",
        {**base, "lead-leader": users["other_township_leader"].pk},
    )
    assert refused.status_code == 400
    done = office.post(f"/desk/cases/{old_case.pk}/do/lead/", {**base, "lead-leader": leader.pk})
    assert done.status_code == 302
    assert CaseLeader.objects.get(case=old_case, ended_at=None).leader == leader
    # A township leader of another township does not even see the case.
    assert (
        browser(users["other_township_leader"]).get(f"/desk/cases/{old_case.pk}/").status_code
        == 404
    )

    # The leader's desk lists the case; its page offers the three in person.
    mine = browser(leader)
    home = mine.get("/desk/").content.decode()
    assert 'id="led-cases"' in home and f'<tr data-case="{old_case.pk}">' in home
    page = mine.get(f"/desk/cases/{old_case.pk}/").content.decode()
    for action in ("meet", "plan", "check", "progress", "lead"):
        assert f'id="action-{action}"' in page, action
    assert 'id="action-mark"' not in page
    future = mine.post(
        f"/desk/cases/{old_case.pk}/do/meet/",
        {
            "meet-version": case_version(old_case),
            "meet-met_on": "2999-01-01",
            "meet-summary": "面谈",
        },
    )
    assert future.status_code == 400
    met = mine.post(
        f"/desk/cases/{old_case.pk}/do/meet/",
        {
            "meet-version": case_version(old_case),
            "meet-met_on": "2026-01-05",
            "meet-summary": "面谈",
        },
    )
    assert met.status_code == 302
    page = mine.get(f"/desk/cases/{old_case.pk}/").content.decode()
    assert '<dd id="step-meet">2026-01-05</dd>' in page


def test_the_county_office_marks_a_case_from_its_page(reported, territory):
    case = reported(date(2026, 3, 2))
    office = browser(territory.users["county_office"])
    done = office.post(
        f"/desk/cases/{case.pk}/do/mark/",
        {"mark-version": case_version(case), "mark-key": "on", "mark-note": "涉众"},
    )
    assert done.status_code == 302
    page = office.get(f"/desk/cases/{case.pk}/").content.decode()
    assert 'id="tag-key"' in page and "must have a 包案 leader" in page
    township = browser(territory.users["township_leader"])
    assert 'id="action-mark"' not in township.get(f"/desk/cases/{case.pk}/").content.decode()
    leaders.leader_name(
        case_id=case.pk,
        actor=territory.users["county_office"],
        leader_id=territory.users["township_leader"].pk,
        unit="涂埠镇",
        person="王",
    )
    assert 'id="leader-unit">涂埠镇<' in office.get(f"/desk/cases/{case.pk}/").content.decode()


def test_the_backlog_page_reads_a_fixed_number_of_queries(reported, territory, settings):
    settings.BACKLOG_DAYS = 90
    office = browser(territory.users["county_office"])

    def queries_for_page():
        with at(date(2026, 6, 17)), CaptureQueriesContext(connection) as captured:
            assert office.get("/desk/backlog/").status_code == 200
        return len(captured)

    first = reported(date(2026, 1, 5))
    leaders.leader_name(
        case_id=first.pk,
        actor=territory.users["county_office"],
        leader_id=territory.users["township_leader"].pk,
        unit="涂埠镇",
        person="王",
    )
    one = queries_for_page()
    for day in (6, 7, 8, 9):
        case = reported(date(2026, 1, day))
        leaders.leader_name(
            case_id=case.pk,
            actor=territory.users["county_office"],
            leader_id=territory.users["township_leader"].pk,
            unit="涂埠镇",
            person="王",
        )
    assert queries_for_page() == one
