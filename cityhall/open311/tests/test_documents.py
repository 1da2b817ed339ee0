"""The JSON and XML writers of GeoReport v2 documents."""

import json
from collections.abc import Mapping, Sequence
from xml.etree import ElementTree

import pytest

from cityhall.open311.documents import ITEM_NAMES, render

#: Every kind of value a document holds, with text needing escapes in both formats.
DOCUMENT = [
    {
        "service_request_id": "RAS-26-000123",
        "status_notes": 'In progress: "A & B" <crew> sent\nback\tlater é',
        "description": None,
        "service_notice": "",
        "lat": 45.512345,
        "long": -73.0,
        "metadata": True,
        "order": 0,
        "extended_attributes": {
            "status_history": [
                {"status": "open", "status_notes": None},
                {"status": "closed", "status_notes": "Done ]]> & fixed"},
            ],
            "attributes": [],
            "values": {},
        },
    },
    {"service_request_id": "RAS-26-000124", "keywords": "rue, trou"},
]


def element_tree_bytes(root, document):
    """The bytes a DOM writer gives for `document` (how the reference XML was written)."""

    def fill(element, value):
        if isinstance(value, Mapping):
            for name, child in value.items():
                fill(ElementTree.SubElement(element, name), child)
        elif isinstance(value, Sequence) and not isinstance(value, str):
            for item in value:
                fill(ElementTree.SubElement(element, ITEM_NAMES[element.tag]), item)
        elif isinstance(value, bool):
            element.text = "true" if value else "false"
        elif value is not None:
            element.text = str(value)

    element = ElementTree.Element(root)
    fill(element, document)
    return ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)


@pytest.mark.parametrize(
    ("root", "document"),
    [("service_requests", DOCUMENT), ("service_requests", []), ("errors", [{"code": 404}])],
)
def test_xml_is_byte_for_byte_what_a_dom_writer_gives(root, document):
    response = render(document, root=root, response_format="xml")

    assert response.content == element_tree_bytes(root, document)
    assert response["Content-Type"] == "text/xml; charset=utf-8"


def test_json_is_compact_utf8_as_the_standard_library_writes_it():
    response = render(DOCUMENT, root="service_requests", response_format="json")

    expected = json.dumps(DOCUMENT, ensure_ascii=False, separators=(",", ":")).encode()
    assert response.content == expected
    assert response["Content-Type"] == "application/json; charset=utf-8"
