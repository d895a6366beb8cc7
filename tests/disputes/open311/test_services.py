"""GET services, services/{code} and discovery, the formats, and what is not a resource."""

import pytest
from django.test import Client

from disputes.cases.models import Category
from tests.disputes.open311.conftest import as_json, as_xml, call, errors_of, xml_items

pytestmark = pytest.mark.django_db

SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]


def test_the_services_are_the_active_categories(territory):
    Category.objects.filter(code="medical").update(active=False)
    services = as_json(call("get", "services.json"))
    codes = [s["service_code"] for s in services]
    assert codes == list(
        Category.objects.filter(active=True)
        .order_by("position", "code")
        .values_list("code", flat=True)
    )
    assert "medical" not in codes
    neighbours = services[codes.index("neighbours")]
    assert list(neighbours) == SERVICE_FIELDS
    assert neighbours == {
        "service_code": "neighbours",
        "service_name": "Neighbours",
        "description": "邻里纠纷 / Neighbours",
        "metadata": False,
        "type": "realtime",
        "keywords": "邻里纠纷, Neighbours, neighbours",
        "group": "disputes",
    }


def test_the_services_in_chinese_by_default_and_in_xml(territory):
    services = as_json(call("get", "services.json", language=None))
    assert services[0]["service_name"] == "土地及宅基地"
    root = as_xml(call("get", "services.xml", language=None))
    assert root.tag == "services"
    items = xml_items(root, "service")
    assert len(items) == len(services)
    assert list(items[0]) == SERVICE_FIELDS
    assert items[0]["service_name"] == "土地及宅基地"
    assert (items[0]["metadata"], items[0]["type"]) == ("false", "realtime")


def test_a_service_definition_names_the_ticket_attribute(territory):
    definition = as_json(call("get", "services/neighbours.json"))
    assert definition["service_code"] == "neighbours"
    (attribute,) = definition["attributes"]
    assert {k: attribute[k] for k in ("variable", "code", "datatype", "required", "order")} == {
        "variable": True,
        "code": "ticket",
        "datatype": "string",
        "required": False,
        "order": 1,
    }
    root = as_xml(call("get", "services/neighbours.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "neighbours"
    assert root.find("attributes/attribute").findtext("code") == "ticket"
    assert root.find("attributes/attribute").findtext("required") == "false"


@pytest.mark.parametrize("code", ["potholes", "medical-x", "a" * 300, "%00"])
def test_an_unknown_service_is_404(territory, code):
    for fmt in ("json", "xml"):
        response = call("get", f"services/{code}.{fmt}")
        assert response.status_code == 404
        errors_of(response)


def test_the_jurisdiction_is_a_county_s_code(territory, hotline, dean_hotline):
    assert call("get", "services.json", jurisdiction_id="360425").status_code == 200
    for code in ("360499", "sfgov.org", "x" * 100, "3604\x0025"):
        response = call("get", "services.xml", jurisdiction_id=code)
        assert response.status_code == 404
        errors_of(response)
    # With a key, it is the key's county.
    ok = call("get", "services.json", api_key=hotline.key, jurisdiction_id="360425")
    assert ok.status_code == 200
    response = call("get", "services.json", api_key=dean_hotline.key, jurisdiction_id="360425")
    assert response.status_code == 404


def test_a_key_sent_to_the_services_must_be_valid(territory):
    response = call("get", "services.json", api_key="not-a-key")
    assert response.status_code == 403
    errors_of(response)


def test_the_discovery_file(territory):
    discovery = as_json(call("get", "discovery.json"))
    assert list(discovery) == ["changeset", "contact", "key_service", "endpoints"]
    (endpoint,) = discovery["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["application/json; charset=utf-8", "text/xml; charset=utf-8"]
    assert "api_key" in discovery["key_service"]
    root = as_xml(call("get", "discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == endpoint[
        "formats"
    ]


@pytest.mark.parametrize(
    "path",
    ["services.html", "services.JSON", "services.json.xml", "requests.csv", "tokens/T-1.php"],
)
def test_another_format_is_a_400_in_json(territory, path):
    response = call("get", path)
    assert response.status_code == 400
    assert "json or xml" in errors_of(response)[0]["description"]


@pytest.mark.parametrize(
    "path", ["", "services", "services/", "service_list.json", "requests/1/notes.json", "x" * 500]
)
def test_what_is_not_a_resource_is_a_404_in_json(territory, path):
    response = call("get", path)
    assert response.status_code == 404
    errors_of(response)


def test_a_method_the_resource_does_not_take_is_refused(territory, hotline):
    response = call("post", "services.xml", api_key=hotline.key)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    errors_of(response)
    response = Client().put(f"/open311/v2/requests.json?api_key={hotline.key}")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST, HEAD"
