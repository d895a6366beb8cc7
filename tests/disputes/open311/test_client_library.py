"""A real Open311 client against the live server: georeport (PyPI), in both formats.

georeport 0.3.1 lists services, reads a service definition, lists requests and reads
one request; it has no method to post a request and sends no api_key when it reads
requests (it assumes a public list). The post is sent with `requests`, form-encoded as
the specification says, and the key is added to the library's reads the way a client
of a server with keyed reads would (the library's parsing of our answers is what is
tested). The older `open311` 1.1 and `three` 0.8 do not import on Python 3.
"""

import pytest
import requests
from georeport import GeoReport, georeport

from disputes.cases.models import Case
from tests.disputes.open311.conftest import request_fields

# Serialized rollback: the flush after a transactional test would take the seeded rows along.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def with_key(monkeypatch):
    """georeport's reads, with the client's api_key added to their parameters."""

    def add(key):
        get = requests.get

        def keyed_get(url, params=None, **kwargs):
            return get(url, params={**(params or {}), "api_key": key}, **kwargs)

        monkeypatch.setattr(georeport.requests, "get", keyed_get)

    return add


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_lists_posts_and_reads_back(live_server, hotline, with_key, fmt):
    root = f"{live_server.url}/open311/v2"
    client = GeoReport(root, jurisdiction="360425", output_format=fmt)

    services = client.get_service_list()
    codes = [s["service_code"] for s in services]
    assert "neighbours" in codes
    assert {s["type"] for s in services} == {"realtime"}
    definition = client.get_service_definition("neighbours")
    assert definition["service_code"] == "neighbours"

    with pytest.raises(requests.HTTPError) as refused:
        client.get_service_requests()
    assert refused.value.response.status_code == 403

    posted = requests.post(
        f"{root}/requests.{fmt}",
        data=request_fields(hotline.key, jurisdiction_id="360425"),
        headers={"Accept-Language": "en"},
        timeout=30,
    )
    assert posted.status_code == 201, posted.text
    case = Case.objects.get()
    assert f"<service_request_id>{case.pk}</service_request_id>" in posted.text or (
        posted.json()[0]["service_request_id"] == str(case.pk)
    )

    with_key(hotline.key)
    found = client.get_service_requests(status="open", service_code="neighbours")
    item = found if fmt == "xml" else found[0]  # xmltodict: one <request> is not a list
    assert item["service_request_id"] == str(case.pk)
    assert item["status"] == "open"
    assert item["requested_datetime"].endswith("+08:00")
    one = client.get_service_request(str(case.pk))
    assert one["service_request_id"] == str(case.pk)
    assert one["description"] == "两户因排水沟堵塞发生争执，请村里协调。"
    assert "王五" not in str(one) and "13912345678" not in str(one)
