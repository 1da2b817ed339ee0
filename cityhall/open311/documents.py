"""Writing GeoReport v2 documents as JSON or XML, and the spec's error bodies.

A document is plain data: dicts (elements in order), lists and scalars. JSON is written as is
(top-level arrays, as in the spec's examples). XML needs a name for each list's items, taken
from ITEM_NAMES; None becomes an empty element, booleans become "true"/"false".
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree import ElementTree

from django.http import HttpResponse

JSON = "json"
XML = "xml"
FORMATS = (JSON, XML)
CONTENT_TYPES = {JSON: "application/json; charset=utf-8", XML: "text/xml; charset=utf-8"}

#: The element each list's items are written as, keyed by the list's own element name.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "status_history": "status_change",
}


class Open311Error(Exception):
    """A failure reported to the client as the spec's `errors` document with `status`."""

    def __init__(self, status: int, *descriptions: str) -> None:
        self.status = status
        self.descriptions = [str(description) for description in descriptions]
        super().__init__("; ".join(self.descriptions))


def render(document: Any, *, root: str, response_format: str, status: int = 200) -> HttpResponse:
    """The response carrying `document`; `root` names the XML root element."""
    if response_format == JSON:
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    else:
        element = ElementTree.Element(root)
        _fill(element, document)
        body = ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[response_format])


def render_error(error: Open311Error, *, response_format: str) -> HttpResponse:
    """The spec's error body: `[{"code": 400, "description": "..."}]` or `<errors>…`."""
    document = [{"code": error.status, "description": text} for text in error.descriptions]
    return render(document, root="errors", response_format=response_format, status=error.status)


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for name, child_value in value.items():
            _fill(ElementTree.SubElement(element, name), child_value)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        item_name = ITEM_NAMES[element.tag]
        for item in value:
            _fill(ElementTree.SubElement(element, item_name), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
