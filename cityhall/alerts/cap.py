"""An alert as a CAP 1.2 XML document (OASIS), one `info` block per language.

Dates carry the city's numeric offset, never `Z`. The area is given as polygons of
"lat,lon" pairs closed on their first point (one per part of a multipolygon, outer rings
only), or as the circle drawn ("lat,lon radius-km"). Polygons with more than
`MAX_POLYGON_POINTS` points are simplified after being grown by the simplification tolerance,
so that the simplified shape still covers the whole area: nobody inside is left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import shapely
from django.conf import settings
from django.utils import timezone
from lxml import etree
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from cityhall.alerts.links import web_link
from cityhall.alerts.models import ALERT_LANGUAGES, Alert
from cityhall.alerts.selectors import earlier_messages

CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_CONTENT_TYPE = "application/cap+xml"
#: CAP language tags of the platform's languages.
CAP_LANGUAGES = {"en": "en-CA", "fr": "fr-CA"}
#: Most points per polygon: receivers (cell broadcast among them) refuse longer ones.
MAX_POLYGON_POINTS = 100
#: First simplification tolerance tried (degrees, about 10 m); doubled until short enough.
FIRST_TOLERANCE = 0.0001
#: Decimal places of coordinates (about 0.1 m).
COORDINATE_PLACES = 6


def cap_datetime(moment: datetime) -> str:
    """A CAP date: local time to the second with a numeric offset ("+00:00", never "Z")."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def sent_at(alert: Alert) -> datetime:
    """When the message was (or, for one not yet published, would be taken as) sent."""
    return alert.published_at or alert.updated_at or timezone.now()


def reference(alert: Alert) -> str:
    """The "sender,identifier,sent" triple by which later messages name this one."""
    return f"{alert.sender},{alert.identifier},{cap_datetime(sent_at(alert))}"


def cap_element(alert: Alert) -> etree._Element:
    """The alert as a CAP `alert` element."""
    root = etree.Element(f"{{{CAP_NAMESPACE}}}alert", nsmap={None: CAP_NAMESPACE})
    _add(root, "identifier", alert.identifier)
    _add(root, "sender", alert.sender)
    _add(root, "sent", cap_datetime(sent_at(alert)))
    _add(root, "status", alert.status)
    _add(root, "msgType", alert.msg_type)
    _add(root, "scope", alert.scope)
    earlier = earlier_messages(alert)
    if earlier:
        _add(root, "references", " ".join(reference(message) for message in earlier))
    texts = {text.language: text for text in alert.texts.all()}
    polygons, circle = list(cap_polygons(alert.area_geometry())), cap_circle(alert)
    for language in ALERT_LANGUAGES:
        text = texts.get(language)
        if text is None:
            continue
        info = etree.SubElement(root, f"{{{CAP_NAMESPACE}}}info")
        _add(info, "language", CAP_LANGUAGES[language])
        _add(info, "category", alert.category)
        _add(info, "event", text.event)
        _add(info, "urgency", alert.urgency)
        _add(info, "severity", alert.severity)
        _add(info, "certainty", alert.certainty)
        _add(info, "onset", cap_datetime(alert.onset))
        _add(info, "expires", cap_datetime(alert.expires))
        _add(info, "senderName", settings.CITYHALL_CITY_NAME)
        _add(info, "headline", text.headline)
        _add(info, "description", text.description)
        if text.instruction:
            _add(info, "instruction", text.instruction)
        _add(info, "web", web_link(alert, language))
        area = etree.SubElement(info, f"{{{CAP_NAMESPACE}}}area")
        _add(area, "areaDesc", text.area_description)
        if circle is not None:
            _add(area, "circle", circle)
        else:
            for polygon in polygons:
                _add(area, "polygon", polygon)
    return root


def cap_document(alert: Alert) -> bytes:
    """The alert as a standalone CAP 1.2 document (UTF-8, with its XML declaration)."""
    return bytes(etree.tostring(cap_element(alert), xml_declaration=True, encoding="UTF-8"))


def cap_circle(alert: Alert) -> str | None:
    """The drawn circle as "lat,lon radius-km", or None for other areas."""
    if alert.area_kind != Alert.AreaKind.CIRCLE or alert.circle_radius_km is None:
        return None
    return (
        f"{_number(alert.circle_latitude or 0.0)},{_number(alert.circle_longitude or 0.0)} "
        f"{alert.circle_radius_km:g}"
    )


def cap_polygons(area: BaseGeometry) -> Iterator[str]:
    """One CAP polygon per part of the area: its outer ring as "lat,lon" pairs, closed."""
    parts = area.geoms if isinstance(area, MultiPolygon) else [area]
    for part in parts:
        if not isinstance(part, Polygon) or part.is_empty:
            continue
        ring = _short_enough(Polygon(part.exterior))
        pairs = [f"{_number(lat)},{_number(lon)}" for lon, lat, *_z in ring.exterior.coords]
        yield " ".join(pairs)


def _short_enough(polygon: Polygon) -> Polygon:
    tolerance = FIRST_TOLERANCE
    shortened = polygon
    while len(shortened.exterior.coords) > MAX_POLYGON_POINTS:
        grown = polygon.buffer(tolerance, join_style="mitre")
        simplified = shapely.simplify(grown, tolerance, preserve_topology=True)
        if isinstance(simplified, Polygon):
            shortened = Polygon(simplified.exterior)
        tolerance *= 2
    return shortened


def _number(value: float) -> str:
    text = f"{value:.{COORDINATE_PLACES}f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _add(parent: etree._Element, name: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CAP_NAMESPACE}}}{name}")
    element.text = text
    return element
