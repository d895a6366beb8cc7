"""The resident pages through the test client: report with a code, track, rate, review."""

import logging

import pytest
from django.test import Client

from config.sms import outbox
from disputes.cases.models import Case, Category
from disputes.cases.services import lifecycle
from disputes.residents import phone_codes
from tests.disputes.conftest import XINGYANG_01
from tests.disputes.residents.conftest import (
    CODE_RE,
    PHONE,
    last_sms_code,
    photo,
    resident_report,
)


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="zh-hans")


def report_form(**overrides):
    data = {
        "category": Category.objects.get(code="neighbours").pk,
        "description": "邻居家排水沟堵塞",
        "placement": "point",
        "point": f"{XINGYANG_01[0]},{XINGYANG_01[1]}",
        "name": "王小明",
        "phone": PHONE,
        "code": "",
        "address": "兴杨村三组",
        "id_number": "",
    }
    data.update(overrides)
    return data


def send_code(client, purpose="report", phone=PHONE):
    return client.post("/r/code/", {"phone": phone, "purpose": purpose})


def test_the_home_and_the_report_form_open_for_anyone(territory, client):
    assert client.get("/r/").status_code == 200
    page = client.get("/r/report/")
    assert page.status_code == 200
    assert "兴杨村委会" in page.content.decode()  # the village list
    assert "captcha" not in page.content.decode()


def test_report_with_a_code_then_the_answer_is_shown_once(
    territory, client, django_capture_on_commit_callbacks
):
    assert send_code(client).json()["ok"]
    code = last_sms_code()
    wrong = client.post("/r/report/", report_form(code="000000" if code != "000000" else "111111"))
    assert wrong.status_code == 400 and not Case.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/r/report/", {**report_form(code=code), "photo1": photo()})
    assert sent.status_code == 302, sent.content.decode()[:2000]
    case = Case.objects.get()
    assert case.attachments.count() == 1
    answer = client.get(sent["Location"]).content.decode()
    query_code = CODE_RE.search(answer)[1]
    assert f"#{case.pk}" in answer
    assert query_code in outbox[-1].text and f"#{case.pk}" in outbox[-1].text
    # shown once; the case page opens for this session
    assert client.get(sent["Location"]).status_code == 302
    assert client.get(f"/r/cases/{case.pk}/").status_code == 200


def test_without_a_code_no_report(territory, client):
    page = client.post("/r/report/", report_form())
    assert page.status_code == 400 and not Case.objects.exists()


def test_a_code_every_60_seconds_per_number(territory, client):
    assert send_code(client).status_code == 200
    again = send_code(client)
    assert again.status_code == 429 and len(outbox) == 1


def test_a_code_is_stored_only_as_a_hash_and_dies_after_5_wrong_tries(territory):
    from django.core.cache import cache

    phone_codes.code_send(phone=PHONE, purpose="track")
    code = last_sms_code()
    entry = cache.get(phone_codes._key(PHONE, "track"))
    assert code not in str(entry)
    for _ in range(phone_codes.MAX_TRIES):
        assert not phone_codes.code_check(phone=PHONE, purpose="track", typed="999999x")
    assert not phone_codes.code_check(phone=PHONE, purpose="track", typed=code)


def test_the_case_page_needs_the_code_not_just_the_number(territory, client):
    case, code = resident_report()
    assert client.get(f"/r/cases/{case.pk}/").status_code == 404
    page = client.post("/r/track/", {"kind": "code", "c-number": case.pk, "c-query_code": code})
    assert page.status_code == 302 and page["Location"] == f"/r/cases/{case.pk}/"
    shown = client.get(f"/r/cases/{case.pk}/").content.decode()
    # the resident reads back what they reported on these pages
    assert "邻居家排水沟堵塞，污水流进我家院子" in shown
    other, _ = resident_report(phone="13900001111")
    assert client.get(f"/r/cases/{other.pk}/").status_code == 404


def test_tracking_by_mobile_lists_that_numbers_cases_masked(territory, client):
    mine, _ = resident_report()
    theirs, _ = resident_report(phone="13900001111")
    send_code(client, "track")
    page = client.post(
        "/r/track/", {"kind": "phone", "p-phone": PHONE, "p-code": last_sms_code()}, follow=True
    )
    text = page.content.decode()
    assert "138****5678" in text and PHONE not in text
    assert f"#{mine.pk}" in text and f"#{theirs.pk}" not in text
    assert client.get(f"/r/cases/{mine.pk}/").status_code == 200
    assert client.get(f"/r/cases/{theirs.pk}/").status_code == 404


def test_rate_not_satisfied_then_ask_for_a_review(territory, client):
    case, code = resident_report()
    holder = territory.users["grid_worker"]
    lifecycle.case_accept(case_id=case.pk, actor=holder, reply="您反映的问题已受理")
    lifecycle.case_resolve(case_id=case.pk, actor=holder, outcome="settled", reply="已疏通水沟")
    client.post("/r/track/", {"kind": "code", "c-number": case.pk, "c-query_code": code})
    page = client.get(f"/r/cases/{case.pk}/").content.decode()
    assert "您反映的问题已受理" in page and "已疏通水沟" in page and 'id="rate"' in page
    client.post(f"/r/cases/{case.pk}/rate/", {"satisfaction": "not_satisfied", "comment": "没解决"})
    page = client.get(f"/r/cases/{case.pk}/").content.decode()
    assert 'id="review"' in page and 'id="rate"' not in page
    client.post(f"/r/cases/{case.pk}/review/", {"reason": "水沟又堵了"})
    assert Case.objects.get(pk=case.pk).status == Case.Status.IN_REVIEW


def test_a_wrong_query_code_20_times_is_throttled_and_logged(territory, client, caplog):
    from captcha.models import CaptchaStore

    case, code = resident_report()
    caplog.set_level(logging.WARNING, logger="disputes.residents")
    for attempt in range(20):
        data = {"kind": "code", "c-number": case.pk, "c-query_code": "2222-3333-4444"}
        if attempt >= 3:  # the captcha appears after 3 failures; this one answers it
            page = client.get("/r/track/").content.decode()
            assert 'name="c-captcha_1"' in page
            store = CaptchaStore.objects.order_by("-id").first()
            data.update({"c-captcha_0": store.hashkey, "c-captcha_1": store.response})
        page = client.post("/r/track/", data)
        assert page.status_code == 400
        assert "不匹配" in page.content.decode()
    right = client.post("/r/track/", {"kind": "code", "c-number": case.pk, "c-query_code": code})
    assert right.status_code == 429 and "请一小时后再试" in right.content.decode()
    failures = [r for r in caplog.records if "wrong query code" in r.getMessage()]
    assert len(failures) == 20
    assert all(f"#{case.pk}" in r.getMessage() for r in failures)
    assert not any("2222" in r.getMessage() or "127.0.0.1" in r.getMessage() for r in failures)
    # another address is not refused, but the case number is: 20 failures for it
    elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    assert (
        elsewhere.post(
            "/r/track/", {"kind": "code", "c-number": case.pk, "c-query_code": code}
        ).status_code
        == 429
    )


def test_without_the_captcha_the_code_is_not_even_tried(territory, client):
    case, code = resident_report()
    for _ in range(3):
        client.post(
            "/r/track/", {"kind": "code", "c-number": case.pk, "c-query_code": "2222-3333-4444"}
        )
    page = client.post("/r/track/", {"kind": "code", "c-number": case.pk, "c-query_code": code})
    assert page.status_code == 400 and client.get(f"/r/cases/{case.pk}/").status_code == 404


def test_reports_are_limited_per_mobile_number(territory, client, settings):
    from disputes.residents import throttles

    for _ in range(throttles.REPORT_PHONE.limit):
        throttles.hit(throttles.REPORT_PHONE, PHONE)
    send_code(client)
    page = client.post("/r/report/", report_form(code=last_sms_code()))
    assert page.status_code == 429 and not Case.objects.exists()


def test_the_outline_is_public_geojson(territory, client):
    data = client.get("/r/outline.json").json()
    assert data["type"] == "FeatureCollection"
    assert {f["properties"]["level"] for f in data["features"]} == {"county", "township"}
