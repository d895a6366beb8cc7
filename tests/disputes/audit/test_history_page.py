"""The change history page (/history/): who sees it, what it shows, its filters and pages."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from disputes.models import (
    Case,
    Party,
)
from tests.disputes.audit.test_history import CLEAR_IDENTITY, outside_any_request, reported
from tests.factories import CountyFactory, TownshipFactory, box
from villages.models import (
    Staff,
)

pytestmark = pytest.mark.django_db


def page_of(user, language="en", **params):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client.get("/history/", params)


@pytest.fixture
def changes(territory, report):
    """A case of 涂埠镇 changed by hand, a party renamed, a staff role changed in each township."""
    case = reported(report)
    outside_any_request()
    Case.objects.filter(pk=case.pk).update(
        description='<script>alert("history")</script>', urgency="urgent"
    )
    Party.objects.filter(case=case, role="complainant").update(name="王五")
    Staff.objects.filter(user=territory.users["other_village_cadre"]).update(
        role=Staff.Role.GRID_WORKER
    )
    Staff.objects.filter(user=territory.users["other_township_leader"]).update(
        role=Staff.Role.MEDIATOR
    )
    return case


def test_the_county_office_sees_a_townships_changes_newest_first(territory, changes):
    response = page_of(territory.users["county_office"], unit="township:360425100")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"case #{changes.pk}" in page
    assert "cadre_nanzhou" in page and "grid worker" in page  # the staff role changed to
    assert "leader_wucheng" not in page  # a change in 吴城镇
    assert page.index("cadre_nanzhou") < page.index(f"case #{changes.pk}")  # newest first
    assert f"a party of case #{changes.pk}" in page
    assert "changed (not shown)" in page
    for clear in CLEAR_IDENTITY:
        assert clear not in page
    # the case was reported through the API by the grid worker; the update was by nobody known
    assert "gw_xingyang_01" in page and "no user recorded" in page


def test_user_typed_text_is_escaped(territory, changes):
    page = page_of(territory.users["county_office"], unit="township:360425100").content.decode()
    assert "&lt;script&gt;alert(&quot;history&quot;)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_page_is_in_chinese_first(territory, changes):
    page = page_of(territory.users["county_office"], language="zh-hans").content.decode()
    assert "变更记录" in page and "永修县" in page


def test_the_county_itself_grids_and_villages_may_be_picked(territory, changes):
    office = territory.users["county_office"]
    county = page_of(office).content.decode()
    assert "leader_wucheng" in county and "cadre_nanzhou" in county
    village = page_of(office, unit="village:360425100202").content.decode()
    assert "cadre_nanzhou" in village and "leader_wucheng" not in village
    assert 'value="grid:360425100202-01"' in village  # the village's grids to drill into
    grid = page_of(office, unit="grid:360425100201-01").content.decode()
    assert f"case #{changes.pk}" in grid and "cadre_nanzhou" not in grid
    teams = page_of(office, unit="grid:360425100201-01", kind="team")  # none are based in a grid
    assert teams.status_code == 200
    assert "No change recorded for this unit." in teams.content.decode()


def test_filters_by_kind_and_date(territory, changes):
    office = territory.users["county_office"]
    staff_only = page_of(office, kind="staff").content.decode()
    assert "cadre_nanzhou" in staff_only and f"case #{changes.pk}" not in staff_only
    today = timezone.localdate().isoformat()
    assert "cadre_nanzhou" in page_of(office, start=today, end=today).content.decode()
    earlier = page_of(office, end="2020-01-01").content.decode()
    assert "No change recorded for this unit." in earlier


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "everything"},
        {"start": "2026-13-01"},
        {"start": "1900-01-01"},
        {"start": "2025-02-01", "end": "2025-01-01"},
        {"end": "2999-01-01"},
    ],
)
def test_bad_filters_answer_400_with_the_reason(territory, params):
    response = page_of(territory.users["county_office"], **params)
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()


def test_pages_of_fifty(territory, report):
    case = reported(report)
    for people in range(3, 63):  # the report said 2
        Case.objects.filter(pk=case.pk).update(people_involved=people)
    office = territory.users["county_office"]
    first = page_of(office, kind="case").content.decode()
    assert first.count('class="entry ') == 50 and "page=2" in first
    second = page_of(office, kind="case", page=2).content.decode()
    assert second.count('class="entry ') == 11  # 60 updates and the insert


def test_a_page_reads_in_a_bounded_number_of_queries(
    territory, changes, django_assert_max_num_queries
):
    office = territory.users["county_office"]
    client = Client()
    client.force_login(office)
    with django_assert_max_num_queries(30):
        assert client.get("/history/", {"unit": "township:360425100"}).status_code == 200


@pytest.mark.parametrize(
    "role",
    [
        "township_leader",
        "village_cadre",
        "grid_worker",
        "mediator",
        "no_role",
    ],
)
def test_everyone_but_the_county_office_gets_404(territory, role):
    assert page_of(territory.users[role]).status_code == 404


def test_a_superuser_without_the_county_office_role_gets_404(territory):
    root = get_user_model().objects.create_superuser("root", password="pw-for-tests")
    assert page_of(root).status_code == 404


def test_anonymous_users_are_sent_to_log_in(territory):
    assert Client().get("/history/").status_code == 302


def test_a_unit_of_another_county_is_404(territory):
    dean = CountyFactory(code="360426", name="德安县", boundary=box(115.5, 29.2, 115.7, 29.4))
    township = TownshipFactory(county=dean, code="360426100", name="蒲亭镇")
    office = territory.users["county_office"]
    for unit in (f"township:{township.code}", "county:360426", "township:nowhere", "street:1"):
        assert page_of(office, unit=unit).status_code == 404, unit


def test_the_leaders_navigation_links_the_page_for_the_county_office_only(territory):
    def nav(user):
        client = Client()
        client.force_login(user)
        return client.get("/supervision/").content.decode()

    assert 'href="/history/"' in nav(territory.users["county_office"])
    assert 'href="/history/"' not in nav(territory.users["township_leader"])
