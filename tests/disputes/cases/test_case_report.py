import threading
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.db import InternalError, connection, transaction
from django.utils import timezone

from disputes.cases.coordinates import gcj02_to_wgs84, wgs84_to_gcj02
from disputes.models import Case, CaseEvent, Party
from tests.disputes.conftest import NANZHOU_01, WUCHENG_01, XINGYANG_01, api, case_payload

pytestmark = pytest.mark.django_db


def test_a_grid_worker_reports_a_case_that_lands_in_the_grid(report, territory):
    response = report()

    assert response.status_code == 201, response.data
    body = response.data
    assert body["type"] == "Feature"
    assert body["geometry"]["coordinates"] == pytest.approx(list(XINGYANG_01))
    props = body["properties"]
    assert (
        props["status"],
        props["level"],
        props["grid"],
        props["village"],
        props["township"],
    ) == (
        "reported",
        "grid",
        territory.grids["xingyang-01"].name,
        "兴杨村委会",
        "涂埠镇",
    )
    case = Case.objects.get()
    assert case.grid == territory.grids["xingyang-01"]
    assert case.county == territory.county
    assert case.due_date == timezone.localdate() + timedelta(days=15)
    assert case.deadline_kind == "acceptance"
    assert [e.action for e in case.events.all()] == ["report"]
    assert props["timeline"][0]["action"] == "report"


def test_the_grid_is_never_taken_from_the_client(report, territory):
    response = report(grid=territory.grids["xingyang-02"].pk, village="x", county=999)
    assert response.status_code == 201
    assert Case.objects.get().grid == territory.grids["xingyang-01"]


def test_the_reporter_sees_the_parties_they_entered_and_the_id_is_not_stored_in_clear(report):
    props = report().data["properties"]
    assert props["parties"][0] == {
        "role": "complainant",
        "name": "张三",
        "phone": "13812345678",
        "id_number": "360425199001011230",
    }
    party = Party.objects.get(role="complainant")
    assert party.id_number_masked == "3604**********1230"
    assert "360425199001011230" not in (party.id_number_encrypted + party.id_number_hash)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM disputes_party WHERE row_to_json(disputes_party)::text LIKE %s",
            ["%360425199001011230%"],
        )
        assert cursor.fetchone() == (0,)


def test_re_sending_the_same_uuid_returns_the_first_case(report, territory):
    payload = case_payload()
    client = api(territory.users["grid_worker"])
    first = client.post("/api/cases/", payload, format="json")
    again = client.post("/api/cases/", payload, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.data["id"] == first.data["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_the_same_uuid_with_another_payload_is_refused(territory):
    payload = case_payload()
    client = api(territory.users["grid_worker"])
    client.post("/api/cases/", payload, format="json")
    changed = client.post("/api/cases/", {**payload, "description": "另一件事"}, format="json")

    assert changed.status_code == 422
    assert "uuid" in changed.data
    assert Case.objects.get().description == payload["description"]


def test_a_body_that_only_spells_out_defaults_is_the_same_request(territory):
    payload = case_payload(accuracy_m=None)
    payload.pop("channel")
    client = api(territory.users["grid_worker"])
    first = client.post("/api/cases/", payload, format="json")
    spelled_out = {
        **payload,
        "channel": "patrol",
        "coord_system": "wgs84",
        "urgency": "normal",
        "address": "",
        "amount_at_stake": None,
        "parties": [{**p, "id_number": p.get("id_number", "")} for p in payload["parties"]],
    }
    spelled_out.pop("accuracy_m")
    again = client.post("/api/cases/", spelled_out, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true"


def test_another_user_s_uuid_is_answered_as_a_new_key_would_be(territory):
    payload = case_payload()
    worker = api(territory.users["grid_worker"])
    first = worker.post("/api/cases/", payload, format="json")

    # A leader of the same township replays the body: a case of their own, never the worker's.
    leader = api(territory.users["township_leader"]).post("/api/cases/", payload, format="json")
    assert leader.status_code == 201
    assert leader.data["id"] != first.data["id"] and "Idempotent-Replayed" not in leader
    # Outside the area: the 400 a new key gets, not a 422 that would say the key exists.
    other = api(territory.users["other_township_leader"])
    for body in (payload, {**payload, "description": "别的事"}):
        probe = other.post("/api/cases/", body, format="json")
        assert probe.status_code == 400
        assert set(probe.data) == {"location"}
    fresh = other.post("/api/cases/", {**payload, "uuid": str(uuid.uuid4())}, format="json")
    assert fresh.data == probe.data
    assert Case.objects.get(pk=first.data["id"]).reporter == territory.users["grid_worker"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_sends_of_one_uuid_create_exactly_one_case(territory):
    payload = case_payload()
    barrier = threading.Barrier(2)
    statuses = []

    def send():
        client = api(territory.users["grid_worker"])
        barrier.wait()
        statuses.append(client.post("/api/cases/", payload, format="json").status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 201]
    assert Case.objects.filter(uuid=payload["uuid"]).count() == 1
    assert CaseEvent.objects.count() == 1


# Published WGS-84 / GCJ-02 pairs (Shanghai, Shenzhen, Beijing), as (lon, lat).
GCJ_PAIRS = [
    ((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597)),
    ((113.912316, 22.543847), (113.9171764808363, 22.540796131694766)),
    ((116.377817, 39.911954), (116.38404722455657, 39.91334545536069)),
]


@pytest.mark.parametrize(("wgs", "gcj"), GCJ_PAIRS)
def test_gcj02_converts_to_wgs84_within_two_metres(wgs, gcj):
    lon, lat = gcj02_to_wgs84(*gcj)
    assert abs(lon - wgs[0]) * 96_000 < 2 and abs(lat - wgs[1]) * 111_000 < 2
    assert wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=1e-9)


def test_a_gcj02_point_is_stored_as_wgs84(report):
    gcj_lon, gcj_lat = wgs84_to_gcj02(*XINGYANG_01)
    assert (gcj_lon, gcj_lat) != pytest.approx(XINGYANG_01, abs=1e-4)
    response = report(point=(gcj_lon, gcj_lat), coord_system="gcj02")
    assert response.status_code == 201
    stored = Case.objects.get().location
    assert (stored.x, stored.y) == pytest.approx(XINGYANG_01, abs=2e-6)


def test_nearby_shows_open_cases_of_the_category_within_200_metres(report, territory):
    report()
    report(point=(XINGYANG_01[0] + 0.001, XINGYANG_01[1]), category="environment")
    far = report(point=(XINGYANG_01[0] + 0.003, XINGYANG_01[1]))  # ≈ 245 m from the query
    assert far.status_code == 201
    client = api(territory.users["grid_worker"])

    nearby = client.get(
        "/api/cases/nearby/",
        {
            "longitude": XINGYANG_01[0] + 0.0005,
            "latitude": XINGYANG_01[1],
            "category": "neighbours",
        },
    )

    assert nearby.status_code == 200
    assert len(nearby.data["features"]) == 1
    assert "parties" not in nearby.data["features"][0]["properties"]


class TestRepeats:
    def test_same_id_number_within_180_days_is_a_repeat(self, report):
        first = report().data
        later = report(point=NANZHOU_01, category="labour-wages", user_key="township_leader").data
        assert later["properties"]["repeat_of"] == first["id"]

    def test_same_name_and_phone_is_a_repeat(self, report):
        first = report(
            parties=[{"role": "complainant", "name": "王五", "phone": "13700001111"}]
        ).data
        later = report(
            point=NANZHOU_01,
            category="consumer",
            user_key="township_leader",
            parties=[{"role": "other", "name": "王五", "phone": "137 0000 1111"}],
        ).data
        assert later["properties"]["repeat_of"] == first["id"]

    def test_same_category_within_100_metres_is_a_repeat(self, report):
        first = report(parties=[]).data
        near = report(parties=[], point=(XINGYANG_01[0] + 0.0008, XINGYANG_01[1])).data  # ≈ 78 m
        far = report(
            parties=[], point=(XINGYANG_01[0] - 0.0013, XINGYANG_01[1])
        ).data  # ≈ 126 m west
        other = report(parties=[], category="traffic").data
        assert near["properties"]["repeat_of"] == first["id"]
        assert far["properties"]["repeat_of"] is None
        assert other["properties"]["repeat_of"] is None

    def test_an_earlier_case_older_than_180_days_is_not_a_repeat(self, report):
        with time_machine.travel(timezone.now() - timedelta(days=181)):
            report()
        assert report().data["properties"]["repeat_of"] is None


def test_a_county_office_reports_anywhere_in_the_county(report, territory):
    response = report(user_key="county_office", point=WUCHENG_01, channel="visit")
    assert response.status_code == 201
    assert Case.objects.get().township == territory.wucheng


def test_events_are_append_only(report):
    report()
    event = CaseEvent.objects.get()
    with pytest.raises(InternalError, match="append-only"), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(note="changed")
    with pytest.raises(InternalError, match="append-only"), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).delete()
    assert CaseEvent.objects.get().note == event.note


def test_a_case_without_occurred_at_happened_when_reported(report):
    report()
    case = Case.objects.get()
    assert abs(case.occurred_at - case.reported_at) < timedelta(seconds=5)


def test_the_uuid_is_kept(report):
    key = uuid.uuid4()
    report(uuid=str(key))
    assert Case.objects.get().uuid == key


def test_a_case_in_a_grid_without_a_worker_starts_in_the_village(report, territory):
    response = report(user_key="township_leader", point=NANZHOU_01)
    assert (response.data["properties"]["level"], response.data["properties"]["grid"]) == (
        "village",
        territory.grids["nanzhou-01"].name,
    )
    cadre = api(territory.users["other_village_cadre"])
    assert (
        cadre.post(f"/api/cases/{response.data['id']}/accept/", {"reply": "已受理"}).status_code
        == 200
    )
