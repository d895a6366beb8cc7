import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from tests.disputes.conftest import NANZHOU_01, XINGYANG_01, XINGYANG_02, api

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.data
    return sorted(f["id"] for f in response.data["features"])


@pytest.fixture
def cases(report, territory):
    made = {}
    with time_machine.travel(
        datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        made["march"] = report(user_key="village_cadre", point=XINGYANG_02).data["id"]
    made["neighbours"] = report(user_key="village_cadre").data["id"]
    made["traffic"] = report(
        user_key="township_leader", category="traffic", point=NANZHOU_01, parties=[]
    ).data["id"]
    leader = api(territory.users["township_leader"])
    leader.post(f"/api/cases/{made['traffic']}/escalate/", {"reason": "x"})
    return made


def test_the_list_is_a_paginated_geojson_feature_collection(cases, territory):
    body = api(territory.users["county_office"]).get("/api/cases/", {"page_size": 2}).data
    assert body["type"] == "FeatureCollection"
    assert body["count"] == 3
    assert len(body["features"]) == 2
    assert body["next"].endswith("page=2&page_size=2")
    assert body["features"][0]["geometry"]["type"] == "Point"
    assert "parties" not in body["features"][0]["properties"]


def test_filters(cases, territory):
    client = api(territory.users["county_office"])
    assert ids(client.get("/api/cases/", {"category": "traffic"})) == [cases["traffic"]]
    assert ids(client.get("/api/cases/", {"level": "village"})) == [cases["traffic"]]
    assert ids(client.get("/api/cases/", {"status": ["reported"]})) == sorted(cases.values())
    assert ids(client.get("/api/cases/", {"reported_before": "2026-03-31"})) == [cases["march"]]
    assert ids(client.get("/api/cases/", {"reported_after": date.today().isoformat()})) == sorted(
        [cases["neighbours"], cases["traffic"]]
    )
    west, south = XINGYANG_01[0] - 0.005, XINGYANG_01[1] - 0.005
    bbox = f"{west},{south},{west + 0.01},{south + 0.01}"
    assert ids(client.get("/api/cases/", {"in_bbox": bbox})) == [cases["neighbours"]]
    assert ids(client.get("/api/cases/", {"due": "overdue"})) == [cases["march"]]


def test_a_bad_filter_says_which(territory):
    response = api(territory.users["county_office"]).get("/api/cases/", {"level": "planet"})
    assert response.status_code == 400
    assert "level" in response.data


def test_the_list_query_count_does_not_grow_with_the_page(
    cases, territory, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        api(territory.users["county_office"]).get("/api/cases/")


def test_the_openapi_schema_is_valid_and_complete(client, territory):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    client.force_login(territory.users["grid_worker"])
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/cases/{id}/follow-up/" in schema["paths"]
    assert "/api/cases/nearby/" in schema["paths"]
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert b"//cdn" not in page.content and b"https://" not in page.content.split(b"<body")[0]


def test_the_docs_page_has_no_inline_script_and_needs_a_login(client, territory):
    login = client.get("/api/docs/")
    assert login.status_code == 302 and login["Location"].startswith("/login/?next=/api/docs/")
    assert client.get("/api/schema/").status_code == 401
    client.force_login(territory.users["grid_worker"])
    page = client.get("/api/docs/").content.decode()
    # Every <script> has a src (a Content-Security-Policy with script-src 'self' allows it).
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content
