"""The GeoReport v2 examples in ../shared/refs/open311/examples, reduced to their shapes.

A shape keeps element names and nesting only: a dict of names to shapes, a one-item list
for a repeated element, None for a text value. Comparing shapes checks names and structure
without the example's values.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from jsonschema import Draft7Validator  # type: ignore[import-untyped]  # no stubs installed
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

import cityhall
from cityhall.core.testing import require_or_skip

REFS = (
    Path(cityhall.__file__).resolve().parents[1] / ".." / "shared" / "refs" / "open311"
).resolve()
EXAMPLES = REFS / "examples"
SCHEMAS = REFS / "json-schema"


def example_text(name: str) -> str:
    """An example's body; the HTTP status line some examples start with is dropped."""
    path = EXAMPLES / name
    require_or_skip(path.is_file(), f"{path} is not available (the refs sit beside the repository)")
    text = path.read_text(encoding="utf-8")
    if text.startswith("HTTP/"):
        text = text.split("\n\n", 1)[1]
    return text.strip()


def schema_errors(document: Any, schema_name: str) -> list[str]:
    """Where `document` breaks the published JSON Schema `schema_name` ("requests.json"…)."""
    require_or_skip(SCHEMAS.is_dir(), f"{SCHEMAS} is not available")
    registry: Registry[Any] = Registry().with_resources(
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT7))
        for path in SCHEMAS.glob("*.json")
    )
    schema = registry.contents(schema_name)
    validator = Draft7Validator(schema, registry=registry)
    return [
        f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(document)
    ]


def parse_xml(data: bytes) -> ElementTree.Element:
    """Parse a response of this server or a reference example (trusted, small documents)."""
    return ElementTree.fromstring(data)  # noqa: S314 (our own output and committed examples)


def xml_example_shape(name: str) -> Any:
    return xml_shape(parse_xml(example_text(name).encode()))


def json_example_shape(name: str) -> Any:
    # The published examples write codes as bare numbers with leading zeros (invalid JSON).
    text = re.sub(r'("\w+"\s*:\s*)(0\d+)', r'\1"\2"', example_text(name))
    return json_shape(json.loads(text))


#: The spec's XML elements that hold a list of like elements.
XML_LISTS = {
    "services",
    "service_requests",
    "attributes",
    "values",
    "errors",
    "endpoints",
    "formats",
}


def xml_shape(element: ElementTree.Element) -> Any:
    children = list(element)
    if element.tag in XML_LISTS:
        return {children[0].tag: [xml_shape(children[0])]} if children else {}
    if not children:
        return None
    return {child.tag: xml_shape(child) for child in children}


def json_shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {name: json_shape(item) for name, item in value.items()}
    if isinstance(value, list):
        return [json_shape(value[0])] if value and isinstance(value[0], dict | list) else None
    return None
