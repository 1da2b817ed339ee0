"""The OASIS CAP 1.2 schema from ../shared/refs/cap, and documents read with the parser that
reads incoming alerts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree

import cityhall
from cityhall.alerts.cap_input import hardened_parser
from cityhall.core.testing import require_or_skip

CAP_REFS = Path(cityhall.__file__).resolve().parents[1] / ".." / "shared" / "refs" / "cap"
NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2", "atom": "http://www.w3.org/2005/Atom"}
#: A CAP date: seconds and a numeric offset, never "Z".
CAP_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$")


def parse(document: bytes) -> Any:
    return etree.fromstring(document, parser=hardened_parser())


def cap_schema() -> Any:
    """The official schema; skips (fails under CI=true) when ../shared is absent."""
    path = CAP_REFS / "CAP-v1.2.xsd"
    require_or_skip(
        path.is_file(), f"{path} is not available (the CAP refs sit beside the repository)"
    )
    return etree.XMLSchema(etree.parse(str(path), parser=hardened_parser()))


def assert_valid_cap(schema: Any, element: Any) -> None:
    """Valid against the schema, and in the forms the schema leaves to prose."""
    if not schema.validate(element):
        raise AssertionError(str(schema.error_log))
    for name in ("sent", "onset", "expires", "effective"):
        for node in element.iter(f"{{{NS['cap']}}}{name}"):
            assert CAP_DATE.match(node.text), f"{name} {node.text!r} lacks a numeric offset"
    for node in element.iter(f"{{{NS['cap']}}}polygon"):
        pairs = node.text.split(" ")
        assert len(pairs) >= 4, node.text
        assert pairs[0] == pairs[-1], "the polygon is not closed on its first point"
        for pair in pairs:
            latitude, longitude = (float(value) for value in pair.split(","))
            assert -90 <= latitude <= 90
            assert -180 <= longitude <= 180
    for node in element.iter(f"{{{NS['cap']}}}circle"):
        assert re.match(r"^-?\d+(\.\d+)?,-?\d+(\.\d+)? \d+(\.\d+)?$", node.text), node.text
    for node in element.iter(f"{{{NS['cap']}}}references"):
        for triple in node.text.split(" "):
            sender, identifier, sent = triple.split(",")
            assert sender
            assert identifier
            assert CAP_DATE.match(sent)
