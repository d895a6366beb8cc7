"""GeoReport v2's two formats: JSON, and the XML it is mapped from (the Spark convention).

A list answers as `<root><item>…</item>…</root>` in XML and as a JSON array; an
object as `<root>…</root>` and a JSON object. A list inside an item is named by
its plural (`attributes` holds `attribute`s). Null is an empty element; true and
false are written so. UTF-8 throughout, the XML with its declaration.
"""

import json
import re

from django.http import HttpResponse
from lxml import etree

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
PLURALS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# What XML 1.0 cannot hold: text kept before the interface checked its input may have it.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))


def _element(parent, name: str, value) -> None:
    node = etree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _element(node, key, inner)
    elif isinstance(value, list):
        for inner in value:
            _element(node, PLURALS.get(name, "item"), inner)
    else:
        node.text = _text(value)


def xml_bytes(data, *, root: str, item: str | None = None) -> bytes:
    node = etree.Element(root)
    if isinstance(data, list):
        for value in data:
            _element(node, item, value)
    else:
        for key, value in data.items():
            _element(node, key, value)
    return XML_DECLARATION + etree.tostring(node, encoding="utf-8", pretty_print=True)


def render(data, fmt: str, *, root: str, item: str | None = None, status: int = 200):
    """The answer in `fmt` ("json" or "xml"); `root` and `item` name the XML's elements."""
    if fmt == "xml":
        body = xml_bytes(data, root=root, item=item)
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def render_errors(status: int, description: str, fmt: str = "json", headers=None):
    """The specification's error list: one error, its code the HTTP status."""
    response = render(
        [{"code": status, "description": description}],
        fmt if fmt in CONTENT_TYPES else "json",
        root="errors",
        item="error",
        status=status,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
