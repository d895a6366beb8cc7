"""Every parameter within its bounds: what is out of them is the specification's 400 or 404,
in the format asked for, and nothing is ever a 500."""

import pytest
from django.test import Client

from disputes.cases.models import Case
from tests.disputes.open311.conftest import (
    BASE,
    call,
    errors_of,
    post_request,
    request_fields,
)

pytestmark = pytest.mark.django_db

NUL = "\x00"

BAD_LISTS = [
    ({"service_request_id": "12,abc"}, 400),
    ({"service_request_id": "1" * 19}, 400),
    ({"service_request_id": "-5"}, 400),
    ({"service_request_id": ",".join(["1"] * 1001)}, 400),
    ({"service_request_id": "1," * 15000}, 400),
    ({"service_code": "neighbours,potholes"}, 400),
    ({"service_code": "a b"}, 400),
    ({"service_code": f"neighbours{NUL}"}, 400),
    ({"status": "pending"}, 400),
    ({"status": "open,"}, 200),
    ({"status": "OPEN"}, 200),
    ({"start_date": "yesterday"}, 400),
    ({"start_date": "2026-13-01T00:00:00Z"}, 400),
    ({"start_date": "2026-02-30"}, 400),
    ({"start_date": "0001-01-01T00:00:00Z"}, 400),
    ({"end_date": "9999-12-31T23:59:59+14:00"}, 400),
    ({"start_date": "2026-12-01T00:00:00+25:00"}, 400),
    ({"start_date": "2026-11-01T00:00:00Z", "end_date": "2026-10-01T00:00:00Z"}, 400),
    ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-02T00:00:00Z"}, 400),
    ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-01T00:00:00Z"}, 200),
    ({"start_date": "2026-01-01"}, 200),
    ({"start_date": "2026-01-01 08:00"}, 200),
    ({"start_date": "x" * 41}, 400),
    ({"start_date": f"2026-01-01{NUL}"}, 400),
    ({"page_size": "1001"}, 400),
    ({"page_size": "0"}, 400),
    ({"page_size": "1e3"}, 400),
    ({"page": "0"}, 400),
    ({"page": "-1"}, 400),
    ({"page": "99999999999999999999"}, 400),
    ({"page": "²"}, 400),
    ({"page_size": "١٢"}, 400),
    ({"page": "100000", "page_size": "1000"}, 200),
    ({"jurisdiction_id": NUL}, 404),
    ({"unknown_parameter": "ignored"}, 200),
]


@pytest.mark.parametrize(("params", "status"), BAD_LISTS)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_list_s_parameters(hotline, params, status, fmt):
    response = call("get", f"requests.{fmt}", api_key=hotline.key, **params)
    assert response.status_code == status, response.content[:300]
    if status != 200:
        assert response["Content-Type"].startswith(
            "application/json" if fmt == "json" else "text/xml"
        )
        errors_of(response)


BAD_POSTS = [
    ({"lat": "nan"}, 400),
    ({"lat": "inf"}, 400),
    ({"long": "-Infinity"}, 400),
    ({"lat": "29.02", "long": None}, 400),
    ({"lat": "91", "long": "115.81"}, 400),
    ({"lat": "29.02", "long": "181"}, 400),
    ({"lat": "1e308"}, 400),
    ({"lat": "29,02"}, 400),
    ({"lat": "x" * 41}, 400),
    ({"description": ""}, 400),
    ({"description": "   "}, 400),
    ({"description": "字" * 4001}, 400),
    ({"description": f"排水沟{NUL}"}, 400),
    ({"description": "排水沟\x1b[31m"}, 400),
    ({"address_string": "村" * 201}, 400),
    ({"address_string": "兴杨村\n3组"}, 400),
    ({"first_name": "名" * 61}, 400),
    ({"first_name": "名" * 40, "last_name": "姓" * 30}, 400),
    ({"last_name": f"王{NUL}"}, 400),
    ({"phone": "12345"}, 400),
    ({"phone": "1391234567x"}, 400),
    ({"phone": "+86 139 1234 5678"}, 201),
    ({"first_name": None, "last_name": None}, 400),  # a phone without a name
    ({"email": "not-an-address"}, 400),
    ({"email": "a@" + "b" * 260 + ".cn"}, 400),
    ({"media_url": "javascript:alert(1)"}, 400),
    ({"media_url": "ftp://example.cn/a.jpg"}, 400),
    ({"media_url": "https://example.cn/" + "a" * 2000}, 400),
    ({"media_url": "https://example.cn/photo.jpg"}, 201),
    ({"device_id": "d" * 101}, 400),
    ({"account_id": "a" * 101}, 400),
    ({"address_id": "a" * 101}, 400),
    ({"attribute[ticket]": "AB"}, 400),
    ({"attribute[ticket]": "JX 2026"}, 400),
    ({"attribute[ticket]": "J" * 31}, 400),
    ({"attribute[ticket]": f"JX-2026{NUL}"}, 400),
    ({"attribute[ticket][]": "JX-2026"}, 400),
    ({"attribute[WHISPAWN]": "123"}, 400),
    ({"attribute": "x"}, 400),
    ({"service_code": ""}, 400),
    ({"service_code": f"neighbours{NUL}"}, 400),
    ({"service_code": "../services"}, 404),
    ({"jurisdiction_id": "360425" + NUL}, 404),
]


@pytest.mark.parametrize(("overrides", "status"), BAD_POSTS)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_post_s_fields(hotline, overrides, status, fmt):
    fields = request_fields(hotline.key, **overrides)
    response = call("post", f"requests.{fmt}", **fields)
    assert response.status_code == status, response.content[:300]
    if status != 201:
        errors_of(response)
        assert not Case.objects.exists()


def test_a_ticket_given_twice_is_refused(hotline):
    fields = request_fields(hotline.key)
    fields["attribute[ticket]"] = ["JX-0001", "JX-0002"]
    response = Client().post(BASE + "requests.json", fields)
    assert response.status_code == 400
    errors_of(response)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"api_key": "x", "service_code": "neighbours"}', "application/json"),
        (b"--broken\r\nContent-Disposition: form-data\r\n", "multipart/form-data; boundary=broken"),
        (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
        (b"&".join(b"f%d=1" % n for n in range(1200)), "application/x-www-form-urlencoded"),
    ],
)
def test_a_body_that_is_not_a_form_is_refused(hotline, body, content_type):
    response = Client().post(
        f"{BASE}requests.json?api_key={hotline.key}", body, content_type=content_type
    )
    assert response.status_code == 400
    errors_of(response)


def test_too_many_query_parameters_are_refused(hotline):
    query = "&".join(f"f{n}=1" for n in range(1200))
    response = Client().get(f"{BASE}requests.xml?api_key={hotline.key}&{query}")
    assert response.status_code == 400
    errors_of(response)


def test_a_key_that_is_too_long_or_odd_is_simply_unknown(hotline):
    for key in ("k" * 5000, NUL, "密钥", hotline.key[:8]):
        response = post_request(key)
        assert response.status_code == 403
        errors_of(response)
