"""The desk's home counts and case list: scoped to the area, filtered by the URL, bounded."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from disputes.models import Case
from tests.disputes.conftest import NANZHOU_01, WUCHENG_01, api

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def listed(response) -> list[int]:
    assert response.status_code == 200, response.content.decode()[:500]
    return [int(n) for n in re.findall(r'<tr data-case="(\d+)">', response.content.decode())]


def counts(client) -> dict[str, int]:
    html = client.get("/desk/").content.decode()
    found = re.findall(r'data-count="(\w+)">\s*<span class="n">(\d+)</span>', html)
    return {key: int(n) for key, n in found}


@pytest.fixture
def three_cases(report, territory):
    """兴杨 (neighbours, accepted), 南洲 (land, reported), 吴城 (neighbours, reported)."""
    xingyang = report().data["id"]
    api(territory.users["grid_worker"]).post(
        f"/api/cases/{xingyang}/accept/", {"reply": "已受理"}, format="json"
    )
    nanzhou = report(
        point=NANZHOU_01,
        user_key="county_office",
        category="land-housing",
        channel="visit",
        description="宅基地边界争议，涉及围墙",
    ).data["id"]
    wucheng = report(point=WUCHENG_01, user_key="county_office", channel="visit").data["id"]
    return xingyang, nanzhou, wucheng


def test_the_home_counts_the_users_area_and_links_each_count_to_the_list(three_cases, territory):
    nanzhou = three_cases[1]
    leader = browser(territory.users["township_leader"])
    tallies = counts(leader)
    assert tallies["to_accept"] == 1 and tallies["no_team"] == 1
    assert counts(browser(territory.users["county_office"]))["to_accept"] == 2
    assert counts(browser(territory.users["other_township_leader"]))["no_team"] == 0
    html = leader.get("/desk/").content.decode()
    link = re.search(r'href="(/desk/cases/\?[^"]+)" data-count="to_accept"', html).group(1)
    assert listed(leader.get(link.replace("&amp;", "&"))) == [nanzhou]


def test_the_list_is_scoped_to_the_area(three_cases, territory):
    xingyang, nanzhou, wucheng = three_cases
    assert sorted(listed(browser(territory.users["township_leader"]).get("/desk/cases/"))) == [
        xingyang,
        nanzhou,
    ]
    assert listed(browser(territory.users["village_cadre"]).get("/desk/cases/")) == [xingyang]
    assert listed(browser(territory.users["other_township_leader"]).get("/desk/cases/")) == [
        wucheng
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=reported", ["nanzhou"]),
        ("status=accepted&status=reported", ["xingyang", "nanzhou"]),
        ("category=land-housing", ["nanzhou"]),
        ("q=宅基地", ["nanzhou"]),
        ("q=围墙", ["nanzhou"]),
        ("stage=handling", ["xingyang"]),
        ("level=grid", ["xingyang"]),
        ("channel=patrol", ["xingyang"]),
        ("village=360425100202", ["nanzhou"]),
        ("grid=360425100201-01", ["xingyang"]),
        ("township=360425100", ["xingyang", "nanzhou"]),
        ("team=none", ["xingyang", "nanzhou"]),
        ("repeat=yes", ["nanzhou"]),  # the same complainant as 兴杨's case
        ("due=overdue", []),
        ("reported_after=2000-01-01&reported_before=2100-01-01", ["xingyang", "nanzhou"]),
    ],
)
def test_each_filter_of_the_list(three_cases, territory, query, expected):
    ids = dict(zip(["xingyang", "nanzhou", "wucheng"], three_cases, strict=True))
    got = listed(browser(territory.users["township_leader"]).get(f"/desk/cases/?{query}"))
    assert sorted(got) == sorted(ids[name] for name in expected)


def test_the_keyword_finds_a_case_by_its_number(three_cases, territory):
    nanzhou = three_cases[1]
    leader = browser(territory.users["township_leader"])
    assert listed(leader.get(f"/desk/cases/?q=%23{nanzhou}")) == [nanzhou]


@pytest.mark.parametrize(
    "query",
    [
        "status=lost",
        "category=nope",
        "township=360425101",  # another township: not a choice of this leader
        "grid=x" * 1,
        "reported_after=2026-13-45",
        "due=later",
        "sort=password",
        "team=99999",
        "q=" + "长" * 200,
        "page=abc",
        "size=100000",
    ],
)
def test_bad_filters_answer_400_or_are_bounded_never_500(three_cases, territory, query):
    response = browser(territory.users["township_leader"]).get(f"/desk/cases/?{query}")
    if query.startswith(("page=", "size=")):
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert "部分筛选条件无效" in response.content.decode()


def test_sorting_and_export_keep_the_filters(three_cases, territory):
    xingyang, nanzhou, _ = three_cases
    leader = browser(territory.users["township_leader"])
    assert listed(leader.get("/desk/cases/?sort=reported_at")) == [xingyang, nanzhou]
    assert listed(leader.get("/desk/cases/?sort=-reported_at")) == [nanzhou, xingyang]
    html = leader.get("/desk/cases/?status=reported&category=land-housing&page=1").content.decode()
    export = re.search(r'href="(/exports/\?[^"]*)" id="export"', html).group(1)
    assert (
        "status=reported" in export and "category=land-housing" in export and "page" not in export
    )


def test_the_query_count_does_not_grow_with_the_page(report, territory):
    leader = browser(territory.users["township_leader"])
    report()
    with CaptureQueriesContext(connection) as one:
        listed(leader.get("/desk/cases/"))
    for _ in range(12):
        report()
    with CaptureQueriesContext(connection) as many:
        assert len(listed(leader.get("/desk/cases/"))) == 13
    assert len(many) == len(one)
    assert Case.objects.count() == 13


def test_the_grid_choices_follow_the_chosen_village_and_any_grid_of_the_area_still_filters(
    three_cases, territory
):
    leader = browser(territory.users["township_leader"])
    grid_select = r'<select name="grid"[^>]*>(.*?)</select>'
    unchosen = re.search(grid_select, leader.get("/desk/cases/").content.decode(), re.S)
    assert "360425100201-01" not in unchosen.group(1)  # a county's thousand grids are not listed
    chosen = leader.get("/desk/cases/?village=360425100201").content.decode()
    options = re.search(grid_select, chosen, re.S).group(1)
    assert "360425100201-01" in options and "360425100202-01" not in options
    nanzhou = three_cases[1]
    assert listed(leader.get("/desk/cases/?grid=360425100202-01")) == [nanzhou]
