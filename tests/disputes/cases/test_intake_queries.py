"""What one report costs the database, and that its answer is the case as stored.

The phone sends POST /api/cases/ with its token; the 201 is built from what the
intake wrote, without reading the case back.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken
from rest_framework.test import APIClient

from disputes.models import Case, PartyAccessLog
from tests.disputes.conftest import case_payload

# 12 statements, BEGIN and COMMIT included: the token with its user and staff row
# (one, disputes.api.authentication), the category, the locate query (the grid's
# staffing and the reporter's grids in it); in one transaction the repeat check,
# the case (its key tried by the insert itself), its parties, its roll-up mark, its
# event and the major-project link (disputes.risks); then the reporter's permissions
# (one, config.auth_backends). The parties shown are those just typed: no read is
# logged. Before: 30, two of them commits of their own, seven reading the case back
# and five the grid membership again; then 17.
REPORT_STATEMENTS = 12

# The answer to a report, but for what differs between runs (ids, keys, times).
ANSWER = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [115.81, 29.02]},
    "properties": {
        "channel": "patrol",
        "category": "neighbours",
        "category_name": "邻里纠纷",
        "status": "reported",
        "status_display": "reported",
        "level": "grid",
        "level_display": "grid",
        "urgency": "normal",
        "due_state": "",
        "grid": "xingyang-01",  # its name, which the factory numbers
        "village": "兴杨村委会",
        "township": "涂埠镇",
        "team": None,
        "accuracy_m": 8.5,
        "address": "",
        "people_involved": 2,
        "amount_at_stake": None,
        "description": "两户因排水沟堵塞发生争执",
        "outcome": "",
        "outcome_display": "",
        "satisfaction": "",
        "satisfaction_display": "",
        "deadline_kind": "acceptance",
        "deadline_note": "",
        "extended_days": 0,
        "reviews": 0,
        "accepted_at": None,
        "resolved_at": None,
        "resolved_on_time": None,
        "closed_at": None,
        "team_name": None,
        "handling_days": None,
        "parties": [
            {
                "role": "complainant",
                "name": "张三",
                "phone": "13812345678",
                "id_number": "360425199001011230",
            },
            {"role": "respondent", "name": "李四", "phone": "13987654321", "id_number": ""},
        ],
        "attachments": [],
        "sessions": [],
        "timeline": [
            {
                "actor": "gw_xingyang_01",
                "action": "report",
                "action_display": "reported",
                "from_status": "",
                "to_status": "reported",
                "from_level": "",
                "to_level": "grid",
                "note": "",
                "reply": "",
            }
        ],
        "actions": ["accept", "escalate", "note", "reject", "reply"],
    },
}
VARYING = {"uuid", "occurred_at", "reported_at", "due_date", "repeat_of"}


@pytest.fixture
def phone(territory):
    """The grid worker's phone: token login, English answers."""
    _token, key = AuthToken.objects.create(user=territory.users["grid_worker"])
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _stable(body: dict) -> dict:
    props = {k: v for k, v in body["properties"].items() if k not in VARYING}
    props["timeline"] = [{k: v for k, v in e.items() if k != "at"} for e in props["timeline"]]
    return {"type": body["type"], "geometry": body["geometry"], "properties": props}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_takes_no_more_statements_than_counted(phone):
    phone.post("/api/cases/", case_payload(), format="json")  # a first report warms up

    with CaptureQueriesContext(connection) as queries:
        response = phone.post("/api/cases/", case_payload(), format="json")

    assert response.status_code == 201, response.data
    assert len(queries) <= REPORT_STATEMENTS, "\n".join(q["sql"][:200] for q in queries)
    assert sum(q["sql"] == "COMMIT" for q in queries) == 1
    assert not any(q["sql"].startswith("SAVEPOINT") for q in queries)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_answer_to_a_report_is_the_case_as_stored(phone, territory):
    expected = {**ANSWER, "properties": {**ANSWER["properties"]}}
    expected["properties"]["grid"] = territory.grids["xingyang-01"].name
    earlier = phone.post("/api/cases/", case_payload(), format="json").json()
    response = phone.post("/api/cases/", case_payload(), format="json")

    body = response.json()
    assert response.status_code == 201
    assert _stable(body) == expected
    # The same party twice: the second report repeats the first, said in the answer.
    assert body["properties"]["repeat_of"] == earlier["id"]
    case = Case.objects.get(pk=body["id"])
    assert str(case.uuid) == body["properties"]["uuid"]
    # Read back as any later read would: nothing differs.
    assert phone.get(f"/api/cases/{body['id']}/").json() == body
    # The 201 shows the parties the reporter has just typed: not a read of stored
    # identities, so not logged; reading them back is.
    assert PartyAccessLog.objects.filter(case=case).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_with_every_field_answers_what_a_later_read_shows(phone):
    payload = case_payload(
        occurred_at="2026-11-30T21:15:30.123456+08:00",
        amount_at_stake="12000.5",
        address="兴杨村三组",
        urgency="urgent",
        people_involved=4,
        coord_system="gcj02",
    )
    response = phone.post("/api/cases/", payload, format="json")

    assert response.status_code == 201, response.data
    body = response.json()
    assert body["properties"]["amount_at_stake"] == "12000.50"
    assert phone.get(f"/api/cases/{body['id']}/").json() == body
