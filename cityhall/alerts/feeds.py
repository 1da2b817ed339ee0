"""The machine forms of published alerts: an Atom feed embedding each CAP document, and JSON.

The Atom feed lists the current messages (`selectors.current_alerts`); each entry links to
the CAP document's stable URL and to the web pages in both languages, and carries the CAP
`alert` element itself in `<content type="application/cap+xml">`, as aggregators expect.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from cityhall.alerts.cap import CAP_CONTENT_TYPE, cap_circle, cap_datetime, cap_element, sent_at
from cityhall.alerts.links import absolute, cap_url, json_url, page_url, web_link
from cityhall.alerts.models import ALERT_LANGUAGES, Alert
from cityhall.alerts.selectors import earlier_messages

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
ATOM_CONTENT_TYPE = "application/atom+xml"


def feed_title() -> str:
    city = settings.CITYHALL_CITY_NAME
    return f"{city}: emergency alerts / alertes d'urgence"


def atom_feed(alerts: list[Alert], *, self_url: str, now: datetime | None = None) -> bytes:
    """The Atom document of `alerts`, newest first."""
    feed = etree.Element(f"{{{ATOM_NAMESPACE}}}feed", nsmap={None: ATOM_NAMESPACE})
    _add(feed, "id", self_url)
    _add(feed, "title", feed_title())
    updated = max((sent_at(alert) for alert in alerts), default=now or timezone.now())
    _add(feed, "updated", cap_datetime(updated))
    _link(feed, rel="self", href=self_url, type=ATOM_CONTENT_TYPE)
    author = etree.SubElement(feed, f"{{{ATOM_NAMESPACE}}}author")
    _add(author, "name", settings.CITYHALL_CITY_NAME)
    for alert in alerts:
        feed.append(_entry(alert))
    return bytes(etree.tostring(feed, xml_declaration=True, encoding="UTF-8"))


def _entry(alert: Alert) -> Any:
    entry = etree.Element(f"{{{ATOM_NAMESPACE}}}entry")
    texts = {text.language: text for text in alert.texts.all()}
    _add(entry, "id", cap_url(alert))
    headlines = [texts[lang].headline for lang in ALERT_LANGUAGES if lang in texts]
    _add(entry, "title", " / ".join(headlines) or alert.identifier)
    _add(entry, "updated", cap_datetime(sent_at(alert)))
    _add(entry, "published", cap_datetime(sent_at(alert)))
    summaries = [texts[lang].short_text for lang in ALERT_LANGUAGES if lang in texts]
    _add(entry, "summary", "\n\n".join(summaries))
    _link(entry, rel="alternate", href=cap_url(alert), type=CAP_CONTENT_TYPE)
    for language in ALERT_LANGUAGES:
        _link(
            entry,
            rel="alternate",
            href=page_url(alert, language),
            type="text/html",
            hreflang=language,
        )
    content = etree.SubElement(entry, f"{{{ATOM_NAMESPACE}}}content", type=CAP_CONTENT_TYPE)
    content.append(cap_element(alert))
    return entry


def alert_json(alert: Alert) -> dict[str, Any]:
    """One message for apps: its CAP fields, area as GeoJSON, texts by language, links."""
    texts = {text.language: text for text in alert.texts.all()}
    return {
        "identifier": alert.identifier,
        "sender": alert.sender,
        "sent": cap_datetime(sent_at(alert)),
        "status": alert.status,
        "msg_type": alert.msg_type,
        "scope": alert.scope,
        "state": alert.state,
        "references": [message.identifier for message in earlier_messages(alert)],
        "category": alert.category,
        "urgency": alert.urgency,
        "severity": alert.severity,
        "certainty": alert.certainty,
        "onset": cap_datetime(alert.onset),
        "expires": cap_datetime(alert.expires),
        "area": alert.area,
        "area_kind": alert.area_kind,
        "circle": cap_circle(alert),
        "texts": {
            language: {
                "event": text.event,
                "headline": text.headline,
                "description": text.description,
                "instruction": text.instruction,
                "short_text": text.short_text,
                "area_description": text.area_description,
                "web": web_link(alert, language),
            }
            for language, text in texts.items()
        },
        "links": {"cap": cap_url(alert), "json": json_url(alert)},
    }


def current_json(alerts: list[Alert], *, now: datetime | None = None) -> dict[str, Any]:
    """The current messages for apps, with where to find the feed."""
    return {
        "generated": cap_datetime(now or timezone.now()),
        "feed": absolute(reverse("alerts:feed")),
        "alerts": [alert_json(alert) for alert in alerts],
    }


def _add(parent: Any, name: str, text: str) -> Any:
    element = etree.SubElement(parent, f"{{{ATOM_NAMESPACE}}}{name}")
    element.text = text
    return element


def _link(parent: Any, **attributes: str) -> None:
    etree.SubElement(parent, f"{{{ATOM_NAMESPACE}}}link", **attributes)
