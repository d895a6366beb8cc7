"""What a referred case shows outside: the resident's tracking page, Open311, the phone's API."""

from datetime import date

import pytest
from django.core.cache import cache
from django.test import Client

from config.sms import outbox
from disputes.cases.models import Case
from disputes.cases.services import lifecycle
from disputes.referrals.models import Referral
from disputes.referrals.services.referrals import referral_refer, referral_result
from disputes.residents.selectors import STATUS_WORDS
from tests.disputes.conftest import api
from tests.disputes.open311.conftest import as_json, call, client_new, post_request
from tests.disputes.referrals.conftest import COURT, at
from tests.disputes.residents.conftest import PHONE, last_sms_code, resident_report

pytestmark = pytest.mark.django_db
REFERRED_WORDS = "Referred to arbitration, a court or another body"


@pytest.fixture(autouse=True)
def clean_slate():
    """No throttle or text message left from another test (they live in Redis)."""
    cache.clear()
    outbox.clear()
    yield
    outbox.clear()


REPLY = "您的纠纷已转永修县人民法院诉前调解，案号将另行告知。"


def _refer(case_id, actor):
    return referral_refer(
        case_id=case_id,
        actor=actor,
        body=Referral.Body.COURT_MEDIATION,
        body_name=COURT,
        referred_on=date(2026, 3, 9),
        note="内部：对方不愿到村调解",
        reply=REPLY,
    )


def test_the_resident_reads_the_referred_status_in_plain_words_and_the_reply(territory, client):
    worker = territory.users["grid_worker"]
    with at(date(2026, 3, 2)):
        case, code = resident_report()
        lifecycle.case_accept(case_id=case.pk, actor=worker, reply="您反映的问题已受理")
    with at(date(2026, 3, 10)):
        referral = _refer(case.pk, worker)
        client.post("/r/track/", {"kind": "code", "c-number": case.pk, "c-query_code": code})
        page = client.get(f"/r/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "waiting for its decision" in html and REFERRED_WORDS in html
    assert REPLY in html
    assert "对方不愿到村调解" not in html  # the note stays internal
    # By mobile number too, the list says where the matter is.
    with at(date(2026, 3, 10)):
        fresh = Client()
        assert fresh.post("/r/code/", {"phone": PHONE, "purpose": "track"}).status_code == 200
        listed = fresh.post(
            "/r/track/",
            {"kind": "phone", "p-phone": PHONE, "p-code": last_sms_code()},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert listed.status_code == 200 and REFERRED_WORDS in listed.content.decode()

    with at(date(2026, 4, 2)):
        referral_result(
            referral_id=referral.pk,
            actor=worker,
            result="调解成功",
            result_on=date(2026, 4, 1),
            reply="法院已调解结案，请您评价。",
        )
        client.post("/r/track/", {"kind": "code", "c-number": case.pk, "c-query_code": code})
        html = client.get(f"/r/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "法院已调解结案，请您评价。" in html and 'id="rate"' in html


def test_open311_says_a_referred_case_is_open_without_an_expected_time(territory):
    hotline = client_new(territory.county)
    with at(date(2026, 3, 2)):
        posted = post_request(hotline.key)
        assert posted.status_code == 201
        case_id = int(as_json(posted)[0]["service_request_id"])
        lifecycle.case_accept(case_id=case_id, actor=territory.users["grid_worker"], reply="已受理")
    with at(date(2026, 3, 10)):
        _refer(case_id, territory.users["grid_worker"])
        (item,) = as_json(call("get", f"requests/{case_id}.json", api_key=hotline.key))
        opened = as_json(call("get", "requests.json", api_key=hotline.key, status="open"))
    assert item["status"] == "open"
    assert item["expected_datetime"] is None
    assert item["status_notes"] == REPLY
    assert [row["service_request_id"] for row in opened] == [str(case_id)]


def test_the_phone_lists_a_referred_case_with_its_status_and_no_due_date(accepted, territory):
    case_id = accepted()
    worker = territory.users["grid_worker"]
    with at(date(2026, 3, 10)):
        _refer(case_id, worker)
        response = api(worker).get(
            "/api/cases/",
            {"status": ["reported", "accepted", "in_handling", "in_review", "referred"]},
        )
    assert response.status_code == 200
    (feature,) = response.json()["features"]
    assert feature["properties"]["status"] == "referred"
    assert feature["properties"]["status_display"] == "referred elsewhere"
    assert feature["properties"]["due_date"] is None


def test_every_status_has_plain_words_for_residents():
    assert set(STATUS_WORDS) == set(Case.Status.values)
