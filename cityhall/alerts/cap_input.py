"""Reading CAP 1.2 documents from other authorities: checked against the OASIS schema with a
hardened parser (no DTD, no entities, no network), then the parts officers need copied out.

`read_cap(document)` returns a `ReceivedCap` or raises `InvalidCap` whose `fields["document"]`
lists what is wrong, each message starting with its line number when known.

The schema (schema/CAP-v1.2.xsd) is the OASIS normative file, copied verbatim with its
copyright line, as the OASIS IPR policy permits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import shapely
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from cityhall.alerts.areas import city_boundaries
from cityhall.alerts.cap import CAP_NAMESPACE
from cityhall.core.errors import InvalidInput

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "CAP-v1.2.xsd"
#: The largest document read, in bytes.
MAX_DOCUMENT_BYTES = 1_000_000
#: Schema errors reported at most.
MAX_ERRORS = 20
METRES_PER_DEGREE = 111_320.0
NS = {"cap": CAP_NAMESPACE}


class InvalidCap(InvalidInput):
    code = "invalid_cap"
    default_message = gettext_lazy("The document is not a valid CAP 1.2 alert.")


@dataclass(frozen=True)
class ReceivedCap:
    """What is kept of a valid CAP message."""

    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    category: str
    urgency: str
    severity: str
    certainty: str
    onset: datetime | None
    expires: datetime | None
    #: By two-letter language: event, headline, description, instruction, area_description, web.
    texts: dict[str, dict[str, str]]
    #: The areas' polygons and circles inside the city, as GeoJSON (None when none are).
    area: dict[str, Any] | None
    document: str


def hardened_parser() -> Any:
    """No DTD, no entities, no network access, no huge trees."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


@cache
def cap_schema() -> Any:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH), parser=hardened_parser()))


def _invalid(messages: list[str]) -> InvalidCap:
    return InvalidCap(fields={"document": messages})


def parse_document(document: bytes) -> Any:
    """The root element of an XML document, refused when empty, too large or carrying a DTD."""
    if not document.strip():
        raise _invalid([_("The document is empty.")])
    if len(document) > MAX_DOCUMENT_BYTES:
        raise _invalid(
            [_("The document is too large (at most %(max)d bytes).") % {"max": MAX_DOCUMENT_BYTES}]
        )
    try:
        tree = etree.fromstring(document, parser=hardened_parser())
    except etree.XMLSyntaxError as error:
        raise _invalid([_("Line %(line)s: %(message)s") % _where(error)]) from error
    docinfo = tree.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _invalid([_("Document type declarations and entities are not accepted.")])
    return tree


def _where(error: Any) -> dict[str, Any]:
    return {"line": getattr(error, "lineno", None) or "?", "message": getattr(error, "msg", error)}


def check_cap(root: Any) -> None:
    """Raise InvalidCap listing the schema's complaints about `root`."""
    schema = cap_schema()
    if schema.validate(root):
        return
    messages = [
        _("Line %(line)s: %(message)s") % {"line": entry.line, "message": entry.message}
        for entry in list(schema.error_log)[:MAX_ERRORS]
    ]
    raise _invalid(messages)


def read_cap(document: bytes) -> ReceivedCap:
    """A checked CAP message from `document`; raises InvalidCap."""
    root = parse_document(document)
    return received_from_element(root)


def received_from_element(root: Any) -> ReceivedCap:
    """A checked CAP message from an already parsed `alert` element."""
    check_cap(root)
    infos = root.findall("cap:info", NS)
    first = infos[0] if infos else None
    return ReceivedCap(
        identifier=_text(root, "identifier"),
        sender=_text(root, "sender"),
        sent=_date(_text(root, "sent")) or timezone.now(),  # required by the schema
        status=_text(root, "status"),
        msg_type=_text(root, "msgType"),
        category=_text(first, "category"),
        urgency=_text(first, "urgency"),
        severity=_text(first, "severity"),
        certainty=_text(first, "certainty"),
        onset=_date(_text(first, "onset") or _text(first, "effective")),
        expires=_date(_text(first, "expires")),
        texts=_texts(infos),
        area=_area(infos),
        document=etree.tostring(root, encoding="unicode"),
    )


def _text(element: Any, name: str) -> str:
    if element is None:
        return ""
    found = element.find(f"cap:{name}", NS)
    return (found.text or "").strip() if found is not None else ""


def _date(value: str) -> datetime | None:
    # The schema has checked the form (xs:dateTime with an offset).
    return datetime.fromisoformat(value) if value else None


def _texts(infos: list[Any]) -> dict[str, dict[str, str]]:
    texts: dict[str, dict[str, str]] = {}
    for info in infos:
        language = (_text(info, "language") or "en-US")[:2].lower()
        if language in texts:
            continue
        area = info.find("cap:area", NS)
        texts[language] = {
            "event": _text(info, "event"),
            "headline": _text(info, "headline"),
            "description": _text(info, "description"),
            "instruction": _text(info, "instruction"),
            "web": _text(info, "web"),
            "area_description": _text(area, "areaDesc"),
        }
    return texts


def _area(infos: list[Any]) -> dict[str, Any] | None:
    """The union of every polygon and circle given, clipped to the city."""
    shapes: list[BaseGeometry] = []
    for info in infos:
        for area in info.findall("cap:area", NS):
            shapes += [_polygon(p.text or "") for p in area.findall("cap:polygon", NS)]
            shapes += [_circle(c.text or "") for c in area.findall("cap:circle", NS)]
    usable = [shape for shape in shapes if shape is not None and not shape.is_empty]
    if not usable:
        return None
    union = shapely.union_all(usable)
    boundaries = city_boundaries()
    if boundaries:
        union = union.intersection(shapely.union_all(boundaries))
    polygonal = _polygonal_part(union)
    if polygonal is None:
        return None
    geometry: dict[str, Any] = shapely.geometry.mapping(polygonal)
    return geometry


def _pairs(text: str) -> list[tuple[float, float]]:
    """ "lat,lon lat,lon ..." as (lon, lat) points."""
    points = []
    for pair in text.split():
        latitude, longitude = (float(value) for value in pair.split(","))
        points.append((longitude, latitude))
    return points


def _polygon(text: str) -> BaseGeometry | None:
    try:
        points = _pairs(text)
    except ValueError:
        return None
    if len(points) < 4:
        return None
    return shapely.make_valid(Polygon(points))


def _circle(text: str) -> BaseGeometry | None:
    try:
        centre, radius_text = text.split()
        (longitude, latitude), radius_km = _pairs(centre)[0], float(radius_text)
    except (ValueError, IndexError):
        return None
    if radius_km <= 0 or not math.isfinite(radius_km):
        return None
    x_scale = METRES_PER_DEGREE * math.cos(math.radians(latitude))
    disc = Point(longitude * x_scale, latitude * METRES_PER_DEGREE).buffer(radius_km * 1000)
    return shapely.transform(disc, lambda xy: xy / [x_scale, METRES_PER_DEGREE])


def _polygonal_part(shape: BaseGeometry) -> Polygon | MultiPolygon | None:
    if isinstance(shape, Polygon | MultiPolygon):
        return shape if not shape.is_empty and shape.area > 0 else None
    parts = [g for g in getattr(shape, "geoms", []) if isinstance(g, Polygon) and g.area > 0]
    return MultiPolygon(parts) if parts else None
