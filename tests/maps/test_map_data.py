"""Clusters of open cases, boundaries for the drill-down, and the side panel's figures."""

from datetime import timedelta

import pytest
from django.utils import timezone

from disputes.models import Case, PartyAccessLog
from tests.disputes.conftest import NANZHOU_01, WUCHENG_01, XINGYANG_01, api, case_payload

pytestmark = pytest.mark.django_db

M_LON = 97_400  # metres per degree of longitude near 29°N


def report_at(territory, lon, lat, category="neighbours", days_ago=0):
    case_id = (
        api(territory.users["county_office"])
        .post(
            "/api/cases/",
            case_payload(point=(lon, lat), category=category, parties=[]),
            format="json",
        )
        .data["id"]
    )
    if days_ago:
        Case.objects.filter(pk=case_id).update(
            reported_at=timezone.now() - timedelta(days=days_ago)
        )
    return case_id


@pytest.fixture
def hotspots(territory):
    """Six cases within 150 m in 兴杨 (five of them 'neighbours'), four spread out, one old."""
    lon, lat = XINGYANG_01
    for i in range(5):
        report_at(territory, lon + i * 30 / M_LON, lat)
    report_at(territory, lon, lat + 100 / 110_850, category="traffic")
    for i in range(3):
        report_at(territory, NANZHOU_01[0] + i * 0.005, NANZHOU_01[1])
    report_at(territory, *WUCHENG_01)
    for i in range(5):
        report_at(territory, WUCHENG_01[0] + i * 20 / M_LON, WUCHENG_01[1] + 0.01, days_ago=120)


def test_dbscan_finds_the_cluster_with_its_size_and_main_category(territory, hotspots, client):
    client.force_login(territory.users["county_office"])
    clusters = client.get("/maps/api/clusters/", {"days": 90, "eps": 200, "min_points": 4}).json()
    assert len(clusters["features"]) == 1
    cluster = clusters["features"][0]["properties"]
    assert (cluster["rank"], cluster["size"], cluster["category"]) == (1, 6, "neighbours")
    assert clusters["features"][0]["geometry"]["type"] == "Polygon"
    assert cluster["centre"][0] == pytest.approx(XINGYANG_01[0] + 60 / M_LON, abs=0.001)


def test_the_time_window_and_the_area_bound_the_clusters(territory, hotspots, client):
    client.force_login(territory.users["county_office"])
    year = client.get("/maps/api/clusters/", {"days": 200, "eps": 200, "min_points": 4}).json()
    assert sorted(f["properties"]["size"] for f in year["features"]) == [5, 6]
    client.force_login(territory.users["other_township_leader"])
    theirs = client.get("/maps/api/clusters/", {"days": 200, "eps": 200, "min_points": 4}).json()
    assert [f["properties"]["size"] for f in theirs["features"]] == [5]


def test_boundaries_of_a_unit_and_its_children_simplified_for_the_zoom(territory, client):
    client.force_login(territory.users["township_leader"])
    answer = client.get(
        "/maps/api/boundaries/", {"level": "township", "code": "360425100", "zoom": 11}
    ).json()
    names = {(f["properties"]["level"], f["properties"]["name"]) for f in answer["features"]}
    assert names == {("township", "涂埠镇"), ("village", "兴杨村委会"), ("village", "南洲村委会")}
    assert (
        client.get("/maps/api/boundaries/", {"level": "township", "code": "360425101"}).status_code
        == 404
    )
    assert (
        client.get("/maps/api/boundaries/", {"level": "county", "code": "360425"}).status_code
        == 404
    )
    grids = client.get(
        "/maps/api/boundaries/", {"level": "village", "code": "360425100201", "zoom": 15}
    ).json()
    assert sorted(
        f["properties"]["code"] for f in grids["features"] if f["properties"]["child"]
    ) == [
        "360425100201-01",
        "360425100201-02",
    ]


def test_the_figures_of_a_unit(territory, hotspots, client):
    Case.objects.filter(pk=Case.objects.filter(village=territory.xingyang).first().pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(territory.users["township_leader"])
    figures = client.get("/maps/api/figures/", {"level": "village", "code": "360425100201"}).json()
    assert (
        figures["name"],
        figures["open"],
        figures["overdue"],
        figures["settled_this_month"],
    ) == (
        "兴杨村委会",
        6,
        1,
        0,
    )


def test_a_case_on_the_map_says_what_it_is_and_never_who_complained(territory, client):
    case_id = (
        api(territory.users["county_office"])
        .post("/api/cases/", case_payload(point=XINGYANG_01), format="json")
        .data["id"]
    )
    client.force_login(territory.users["village_cadre"])  # may see identities in the case page
    answer = client.get(f"/maps/api/cases/{case_id}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 200
    case = answer.json()
    assert (case["id"], case["category_name"], case["status"], case["status_display"]) == (
        case_id,
        "邻里纠纷",
        "reported",
        "已上报",
    )
    assert (case["village"], case["due_state"]) == ("兴杨村委会", "")
    assert case["description"] == "两户因排水沟堵塞发生争执"
    text = answer.content.decode()
    assert "parties" not in case and "张" not in text and "13812345678" not in text
    # nothing was revealed to the cadre, so nothing logged
    assert not PartyAccessLog.objects.filter(user=territory.users["village_cadre"]).exists()

    for user_key in ("other_village_cadre", "other_township_leader", "no_role"):
        client.force_login(territory.users[user_key])
        assert client.get(f"/maps/api/cases/{case_id}/").status_code == 404
    client.logout()
    assert client.get(f"/maps/api/cases/{case_id}/").status_code == 302
