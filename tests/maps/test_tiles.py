"""Vector tiles of cases and of their counts in hexagons, decoded as a map client would."""

import mapbox_vector_tile
import pytest
from django.core.cache import cache

from maps.tile_cache import tile_of
from tests.disputes.conftest import NANZHOU_01, WUCHENG_01, XINGYANG_01, api, case_payload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def cases(territory):
    county = api(territory.users["county_office"])
    made = {}
    made["xingyang"] = county.post("/api/cases/", case_payload(), format="json").data["id"]
    made["xingyang_traffic"] = county.post(
        "/api/cases/",
        case_payload(category="traffic", point=(XINGYANG_01[0] + 0.001, XINGYANG_01[1])),
        format="json",
    ).data["id"]
    made["nanzhou"] = county.post(
        "/api/cases/", case_payload(point=NANZHOU_01), format="json"
    ).data["id"]
    made["wucheng"] = county.post(
        "/api/cases/", case_payload(point=WUCHENG_01), format="json"
    ).data["id"]
    return made


def features(client, layer, z, lon, lat, **params):
    x, y = tile_of(lon, lat, z)
    response = client.get(f"/tiles/{layer}/{z}/{x}/{y}.pbf", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    decoded = mapbox_vector_tile.decode(response.content)
    return decoded.get(layer, {}).get("features", [])


def login(client, user):
    client.force_login(user)
    return client


def test_a_township_leaders_tiles_hold_only_their_townships_cases(territory, cases, client):
    leader = login(client, territory.users["township_leader"])
    # Zoom 9 holds the whole county in one tile.
    seen = {f["id"] for f in features(leader, "cases", 9, *XINGYANG_01)}
    assert seen == {cases["xingyang"], cases["xingyang_traffic"], cases["nanzhou"]}
    other = login(client, territory.users["other_township_leader"])
    assert {f["id"] for f in features(other, "cases", 9, *XINGYANG_01)} == {cases["wucheng"]}


def test_case_features_carry_what_the_map_colours_by(territory, cases, client):
    leader = login(client, territory.users["county_office"])
    feature = next(
        f for f in features(leader, "cases", 14, *XINGYANG_01) if f["id"] == cases["xingyang"]
    )
    assert feature["properties"]["case_id"] == cases["xingyang"]  # a click on it opens the case
    assert feature["properties"]["status"] == "reported"
    assert feature["properties"]["category"] == "neighbours"
    assert feature["properties"]["overdue"] is False
    assert feature["geometry"]["type"] == "Point"


def test_filters_apply_to_tiles(territory, cases, client):
    leader = login(client, territory.users["county_office"])
    assert {f["id"] for f in features(leader, "cases", 9, *XINGYANG_01, category="traffic")} == {
        cases["xingyang_traffic"]
    }
    assert features(leader, "cases", 9, *XINGYANG_01, status="closed") == []


def test_hexagon_bins_count_the_cases(territory, cases, client):
    leader = login(client, territory.users["county_office"])
    bins = features(leader, "bins", 9, *XINGYANG_01)
    assert sum(b["properties"]["n"] for b in bins) == 4
    assert all(b["geometry"]["type"] == "Polygon" for b in bins)
    township_only = login(client, territory.users["township_leader"])
    assert sum(b["properties"]["n"] for b in features(township_only, "bins", 9, *XINGYANG_01)) == 3


def test_a_new_case_clears_the_cached_tiles_it_touches(
    territory, cases, client, django_capture_on_commit_callbacks
):
    leader = login(client, territory.users["county_office"])
    before = {f["id"] for f in features(leader, "cases", 14, *XINGYANG_01)}
    with django_capture_on_commit_callbacks(execute=True):
        new = (
            api(territory.users["county_office"])
            .post("/api/cases/", case_payload(), format="json")
            .data["id"]
        )
    after = {f["id"] for f in features(leader, "cases", 14, *XINGYANG_01)}
    assert after == before | {new}


def test_tiles_are_cached_and_private(territory, cases, client, django_assert_max_num_queries):
    leader = login(client, territory.users["county_office"])
    x, y = tile_of(*XINGYANG_01, 12)
    first = leader.get(f"/tiles/cases/12/{x}/{y}.pbf")
    assert first["Cache-Control"] == "private, max-age=60"
    with django_assert_max_num_queries(3):  # the session and the user, not the tile
        again = leader.get(f"/tiles/cases/12/{x}/{y}.pbf")
    assert again.content == first.content


def test_no_tiles_without_login_or_outside_the_world(client, territory):
    assert client.get("/tiles/cases/9/420/211.pbf").status_code == 403
    client.force_login(territory.users["county_office"])
    assert client.get("/tiles/cases/9/9999/1.pbf").status_code == 404
    assert client.get("/tiles/secrets/9/1/1.pbf").status_code == 404
