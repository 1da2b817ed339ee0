"""Writing GeoReport v2 documents as JSON or XML, and the spec's error bodies.

A document is plain data: dicts (elements in order), lists and scalars. JSON is written as is
(top-level arrays, as in the spec's examples). XML needs a name for each list's items, taken
from ITEM_NAMES; None becomes an empty element, booleans become "true"/"false".

Lists of a thousand requests are written often, so both writers work on strings directly:
orjson for JSON, and for XML the same bytes as `xml.etree.ElementTree.tostring` (empty
elements as `<name />`, text with `&`, `<` and `>` escaped) without building a tree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from django.http import HttpResponse

JSON = "json"
XML = "xml"
FORMATS = (JSON, XML)
CONTENT_TYPES = {JSON: "application/json; charset=utf-8", XML: "text/xml; charset=utf-8"}
XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"

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
        body = orjson.dumps(document)
    else:
        parts = [XML_DECLARATION]
        _write(parts, root, document)
        body = "".join(parts).encode("utf-8", "xmlcharrefreplace")
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[response_format])


def render_error(error: Open311Error, *, response_format: str) -> HttpResponse:
    """The spec's error body: `[{"code": 400, "description": "..."}]` or `<errors>…`."""
    document = [{"code": error.status, "description": text} for text in error.descriptions]
    return render(document, root="errors", response_format=response_format, status=error.status)


def _write(parts: list[str], name: str, value: Any) -> None:
    """Append the element `name` holding `value` to `parts`."""
    kind = type(value)
    if kind is str:  # most values: tested first
        parts.append(f"<{name}>{_escape(value)}</{name}>" if value else f"<{name} />")
    elif value is None:
        parts.append(f"<{name} />")
    elif kind is dict or kind is list or _is_container(value):
        _write_container(parts, name, value)
    else:
        text = _text(value)
        parts.append(f"<{name}>{text}</{name}>" if text else f"<{name} />")


def _is_container(value: Any) -> bool:
    return isinstance(value, Mapping | Sequence) and not isinstance(value, str)


def _write_container(parts: list[str], name: str, value: Mapping[str, Any] | Sequence[Any]) -> None:
    if not value:
        parts.append(f"<{name} />")
        return
    parts.append(f"<{name}>")
    if isinstance(value, Mapping):
        for child_name, child_value in value.items():
            _write(parts, child_name, child_value)
    else:
        item_name = ITEM_NAMES[name]
        for item in value:
            _write(parts, item_name, item)
    parts.append(f"</{name}>")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _escape(str(value))


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text
