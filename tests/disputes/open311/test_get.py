"""GET requests, requests/{id} and tokens/{token}: the public view of the county's cases."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from disputes.cases.models import Case
from disputes.cases.services import lifecycle, remarks
from tests.disputes.conftest import WUCHENG_01, XINGYANG_01
from tests.disputes.open311.conftest import (
    DONGJIA_01,
    as_json,
    as_xml,
    call,
    client_new,
    errors_of,
    grid_of,
    post_request,
    xml_items,
)

pytestmark = pytest.mark.django_db

# GeoReport v2's fields of a request, in its order.
FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def posted(key, **overrides) -> int:
    response = post_request(key, **overrides)
    assert response.status_code == 201, response.content
    return int(as_json(response)[0]["service_request_id"])


def listed(key, fmt="json", **params):
    response = call("get", f"requests.{fmt}", api_key=key, **params)
    assert response.status_code == 200, response.content
    if fmt == "xml":
        root = as_xml(response)
        assert root.tag == "service_requests"
        return xml_items(root, "request")
    return as_json(response)


def test_a_posted_request_reads_back_with_the_specification_s_fields(hotline, territory):
    case_id = posted(hotline.key)
    (item,) = listed(hotline.key)
    assert list(item) == FIELDS
    case = Case.objects.get(pk=case_id)
    assert item["service_request_id"] == str(case_id)
    assert item["status"] == "open"
    assert item["status_notes"] is None
    assert (item["service_code"], item["service_name"]) == ("neighbours", "Neighbours")
    assert item["description"] == "两户因排水沟堵塞发生争执，请村里协调。"
    assert item["agency_responsible"] == grid_of(XINGYANG_01).name
    assert item["requested_datetime"] == timezone.localtime(case.reported_at).isoformat(
        timespec="seconds"
    )
    assert item["requested_datetime"].endswith("+08:00")
    assert item["updated_datetime"].endswith("+08:00")
    assert item["expected_datetime"] == f"{case.due_date.isoformat()}T23:59:59+08:00"
    assert item["address"] == "永修县涂埠镇兴杨村3组"
    assert (item["long"], item["lat"]) == XINGYANG_01
    assert item["media_url"] is None
    assert listed(hotline.key, service_request_id=str(case_id)) == [item]


def test_the_same_in_xml(hotline):
    case_id = posted(hotline.key)
    (item,) = listed(hotline.key, "xml")
    assert list(item) == FIELDS
    assert item["service_request_id"] == str(case_id)
    assert item["status"] == "open"
    assert item["status_notes"] == ""
    assert item["lat"] == str(XINGYANG_01[1])
    assert item["requested_datetime"].endswith("+08:00")


def test_nothing_personal_leaves_in_either_format(hotline, report):
    own = posted(hotline.key)
    staff_case = report().data["id"]  # a grid worker's, with 张三 and 李四 and an ID number
    for fmt in ("json", "xml"):
        for path in ("requests", f"requests/{own}", f"requests/{staff_case}"):
            body = call("get", f"{path}.{fmt}", api_key=hotline.key).content.decode()
            assert body.count("<request>") + body.count('"service_request_id"') >= 1
            for personal in (
                "王五",
                "13912345678",
                "wangwu@example.cn",
                "caller-88",
                "hotline-seat-07",
                "张三",
                "李四",
                "13812345678",
                "360425199001011230",
                "gw_xingyang_01",
                hotline.client.user.username,
            ):
                assert personal not in body, (path, fmt, personal)


def test_free_text_goes_only_to_the_client_that_posted_it(hotline, report, territory):
    case_id = report().data["id"]
    lifecycle.case_accept(
        case_id=case_id, actor=territory.users["grid_worker"], reply="已受理，三日内上门。"
    )
    (item,) = listed(hotline.key)
    assert item["service_request_id"] == str(case_id)
    assert item["status"] == "open"
    assert item["description"] is None
    assert item["status_notes"] is None
    assert item["agency_responsible"] == grid_of(XINGYANG_01).name


def test_status_notes_are_the_latest_reply_and_a_resolved_case_is_closed(hotline, territory):
    case_id = posted(hotline.key)
    worker = territory.users["grid_worker"]
    lifecycle.case_accept(case_id=case_id, actor=worker, reply="已受理。")
    remarks.case_reply_add(case_id=case_id, actor=worker, reply="已约双方周五到村委会调解。")
    remarks.case_note_add(case_id=case_id, actor=worker, note="内部：王五情绪激动")
    (item,) = listed(hotline.key)
    assert item["status_notes"] == "已约双方周五到村委会调解。"
    assert item["status"] == "open"
    lifecycle.case_resolve(
        case_id=case_id, actor=worker, outcome="settled", reply="双方达成协议，已疏通排水沟。"
    )
    (item,) = listed(hotline.key)
    assert item["status"] == "closed"
    assert item["status_notes"] == "双方达成协议，已疏通排水沟。"
    assert item["expected_datetime"] is None
    case = Case.objects.get(pk=case_id)
    resolved = case.events.get(action="resolve").at
    assert item["updated_datetime"] == timezone.localtime(resolved).isoformat(timespec="seconds")
    assert [i["service_request_id"] for i in listed(hotline.key, status="closed")] == [str(case_id)]
    assert listed(hotline.key, status="open") == []
    assert len(listed(hotline.key, status="open,closed")) == 1


def test_the_holding_unit_follows_escalation(hotline, territory):
    case_id = posted(hotline.key)
    lifecycle.case_escalate(case_id=case_id, actor=territory.users["grid_worker"], reason="跨组")
    (item,) = listed(hotline.key)
    assert item["agency_responsible"] == "兴杨村委会"


def test_only_the_client_s_county_is_listed(hotline, dean_hotline, report):
    mine = posted(hotline.key)
    report(user_key="county_office", point=WUCHENG_01, channel="visit")
    theirs = posted(dean_hotline.key, point=DONGJIA_01, **{"attribute[ticket]": "DA-0001"})
    ids = {i["service_request_id"] for i in listed(hotline.key)}
    assert str(mine) in ids and str(theirs) not in ids and len(ids) == 2
    assert listed(hotline.key, service_request_id=f"{mine},{theirs},999999999") == [
        listed(hotline.key, service_request_id=str(mine))[0]
    ]
    for fmt in ("json", "xml"):
        response = call("get", f"requests/{theirs}.{fmt}", api_key=hotline.key)
        assert response.status_code == 404
        errors_of(response)
    assert call("get", f"requests/{theirs}.json", api_key=dean_hotline.key).status_code == 200


def test_filters_by_service_code_and_dates(hotline):
    first = posted(hotline.key, **{"attribute[ticket]": "T-0001"})
    second = posted(hotline.key, service_code="environment", **{"attribute[ticket]": "T-0002"})
    ids = [i["service_request_id"] for i in listed(hotline.key, service_code="environment")]
    assert ids == [str(second)]
    both = listed(hotline.key, service_code="neighbours,environment")
    assert [i["service_request_id"] for i in both] == [str(second), str(first)]  # newest first
    now = timezone.localtime()
    tomorrow = (now + timedelta(days=1)).isoformat(timespec="seconds")
    assert listed(hotline.key, start_date=tomorrow) == []
    last_week = (now - timedelta(days=7)).isoformat(timespec="seconds")
    assert len(listed(hotline.key, start_date=last_week, end_date=tomorrow)) == 2
    assert len(listed(hotline.key, end_date=now.date().isoformat())) == 0  # midnight today
    assert len(listed(hotline.key, start_date="2026-01-01T00:00:00Z")) == 0


def test_without_dates_the_last_90_days_are_listed(hotline):
    with time_machine.travel(timezone.now() - timedelta(days=91)):
        posted(hotline.key, **{"attribute[ticket]": "OLD-0001"})
    recent = posted(hotline.key)
    assert [i["service_request_id"] for i in listed(hotline.key)] == [str(recent)]


def test_pages_of_the_list(hotline):
    ids = [posted(hotline.key, **{"attribute[ticket]": f"P-000{n}"}) for n in range(3)]
    page = listed(hotline.key, page_size="2")
    assert [i["service_request_id"] for i in page] == [str(ids[2]), str(ids[1])]
    page = listed(hotline.key, page_size="2", page="2")
    assert [i["service_request_id"] for i in page] == [str(ids[0])]


def test_reading_needs_a_key_of_the_county(hotline, dean_hotline):
    case_id = posted(hotline.key)
    for path in ("requests", f"requests/{case_id}", "tokens/JX20261201-0042"):
        for key in (None, "wrong"):
            response = call("get", f"{path}.json", api_key=key)
            assert response.status_code == 403, (path, key)
            errors_of(response)
        response = call("get", f"{path}.xml", api_key=hotline.key, jurisdiction_id="360426")
        assert response.status_code == 404
        errors_of(response)
        ok = call("get", f"{path}.json", api_key=hotline.key, jurisdiction_id="360425")
        assert ok.status_code == 200


def test_a_request_by_its_id(hotline):
    case_id = posted(hotline.key)
    (item,) = as_json(call("get", f"requests/{case_id}.json", api_key=hotline.key))
    assert list(item) == FIELDS
    root = as_xml(call("get", f"requests/{case_id}.xml", api_key=hotline.key))
    assert xml_items(root, "request")[0]["service_request_id"] == str(case_id)
    for missing in ("999999999", "abc", "0x10", "9" * 19, "-1"):
        response = call("get", f"requests/{missing}.json", api_key=hotline.key)
        assert response.status_code == 404, missing
        errors_of(response)


def test_a_token_is_a_ticket_the_client_posted(hotline, territory):
    case_id = posted(hotline.key)
    for fmt in ("json", "xml"):
        response = call("get", f"tokens/JX20261201-0042.{fmt}", api_key=hotline.key)
        assert response.status_code == 200
        if fmt == "json":
            assert as_json(response) == [
                {"service_request_id": str(case_id), "token": "JX20261201-0042"}
            ]
        else:
            items = xml_items(as_xml(response), "request")
            assert items == [{"service_request_id": str(case_id), "token": "JX20261201-0042"}]
    other = client_new(territory.county, name="网上信访平台", channel="web")
    for key, token in (
        (hotline.key, "JX20261201-0043"),
        (other.key, "JX20261201-0042"),  # another client's ticket
        (hotline.key, "a b"),
    ):
        response = call("get", f"tokens/{token}.json", api_key=key)
        assert response.status_code == 404, token
        errors_of(response)


def test_the_list_takes_a_fixed_number_of_queries(hotline, django_assert_max_num_queries):
    for n in range(5):
        posted(hotline.key, **{"attribute[ticket]": f"Q-000{n}"})
    with django_assert_max_num_queries(3):
        assert len(listed(hotline.key)) == 5
