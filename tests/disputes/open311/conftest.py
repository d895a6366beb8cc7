"""Open311 clients of 永修县 and of 德安县 next to it, and calls to /open311/v2/ as they make them."""

import json
from dataclasses import dataclass

import pytest
from django.test import Client
from lxml import etree

from disputes.open311 import keys
from disputes.open311.models import Open311Client
from grid.models import Grid
from tests.disputes.conftest import XINGYANG_01
from tests.factories import CountyFactory, GridFactory, TownshipFactory, VillageFactory, box

BASE = "/open311/v2/"
# A point in 德安县's 东佳村委会.
DONGJIA_01 = (116.07, 29.02)


@dataclass
class Keyed:
    client: Open311Client
    key: str


def client_new(county, name="永修县12345政务服务便民热线", **settings) -> Keyed:
    client = Open311Client(name=name, county=county, **settings)
    return Keyed(client, keys.client_issue(client=client))


@pytest.fixture
def hotline(territory) -> Keyed:
    """The 12345 hotline platform of 永修县, with its key."""
    return client_new(territory.county)


@pytest.fixture
def dean(territory):
    """德安县 (360426), east of the test's 永修县, with one village and one grid."""
    county = CountyFactory(code="360426", name="德安县", boundary=box(116.00, 28.90, 116.20, 29.15))
    township = TownshipFactory(
        county=county, code="360426100", name="蒲亭镇", boundary=box(116.00, 28.90, 116.20, 29.15)
    )
    village = VillageFactory(
        township=township,
        code="360426100201",
        name="东佳村委会",
        boundary=box(116.05, 29.00, 116.10, 29.05),
    )
    GridFactory(village=village, code="360426100201-01", boundary=box(116.05, 29.00, 116.10, 29.05))
    return county


@pytest.fixture
def dean_hotline(dean) -> Keyed:
    return client_new(dean, name="德安县12345热线")


def call(method, path, *, language="en", **params):
    """GET or POST /open311/v2/<path> with form fields, as a GeoReport client sends them."""
    browser = Client(HTTP_ACCEPT_LANGUAGE=language) if language else Client()
    params = {k: v for k, v in params.items() if v is not None}
    if method == "post":
        return browser.post(BASE + path, params)
    return browser.get(BASE + path, params)


def request_fields(key, **overrides):
    """The fields of a POST requests: a hotline call about a blocked drain in 兴杨 grid 01."""
    lon, lat = overrides.pop("point", XINGYANG_01)
    fields = {
        "api_key": key,
        "service_code": "neighbours",
        "lat": lat,
        "long": lon,
        "address_string": "永修县涂埠镇兴杨村3组",
        "description": "两户因排水沟堵塞发生争执，请村里协调。",
        "first_name": "五",
        "last_name": "王",
        "phone": "13912345678",
        "email": "wangwu@example.cn",
        "device_id": "hotline-seat-07",
        "account_id": "caller-88",
        "attribute[ticket]": "JX20261201-0042",
    }
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def post_request(key, language="en", **overrides):
    return call("post", "requests.json", language=language, **request_fields(key, **overrides))


def as_json(response):
    assert response["Content-Type"] == "application/json; charset=utf-8", response["Content-Type"]
    return json.loads(response.content)


def as_xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8", response["Content-Type"]
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return etree.fromstring(response.content)


def xml_items(root, item):
    """The XML's items as dicts of their children's text ('' for an empty element)."""
    return [{child.tag: child.text or "" for child in node} for node in root.findall(item)]


def errors_of(response):
    """The specification's error list, from either format; its codes match the HTTP status."""
    if response["Content-Type"].startswith("text/xml"):
        root = as_xml(response)
        assert root.tag == "errors"
        found = xml_items(root, "error")
        found = [{"code": int(e["code"]), "description": e["description"]} for e in found]
    else:
        found = as_json(response)
    assert found and all(set(e) == {"code", "description"} for e in found), found
    assert all(e["code"] == response.status_code for e in found), found
    return found


def grid_of(point):
    return Grid.objects.get(boundary__contains=f"SRID=4326;POINT({point[0]} {point[1]})")
