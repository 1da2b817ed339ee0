"""Reading upstream authorities' alert feeds (`ALERTS_UPSTREAM_FEEDS`): every few minutes,
each feed is fetched and its CAP messages stored as incoming alerts for the officers.

A feed is an Atom (or RSS) feed whose entries embed a CAP alert in their content or link to
one (`type="application/cap+xml"`, or any link ending in .xml / .cap), or a single CAP
document. Everything is read with the hardened parser and checked against the CAP schema;
fetching goes through core.outbound, which refuses addresses inside the city's network. A
message already received is skipped; a broken entry is counted and the others still read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django_tasks import task

from cityhall.alerts.cap_input import (
    MAX_DOCUMENT_BYTES,
    NS,
    parse_document,
    read_cap,
    received_from_element,
)
from cityhall.alerts.incoming import receive_cap
from cityhall.alerts.models import IncomingAlert
from cityhall.core.errors import InvalidInput
from cityhall.core.outbound import OutboundError, OutboundRequest, send_request

logger = logging.getLogger(__name__)
ATOM = "http://www.w3.org/2005/Atom"
CAP_TYPES = ("application/cap+xml", "application/common-alerting-protocol+xml")
TIMEOUT_SECONDS = 10.0
#: Linked CAP documents fetched per feed and poll, at most.
MAX_LINKED_PER_POLL = 50
USER_AGENT = "CityHall-Alerts/1"


@dataclass(frozen=True)
class PollResult:
    """What one feed gave: messages read, how many were new, and how many were refused."""

    feed: str
    read: int = 0
    new: int = 0
    refused: int = 0
    error: str = ""


def upstream_feeds() -> list[str]:
    """`ALERTS_UPSTREAM_FEEDS`: the feeds' URLs."""
    return list(settings.ALERTS_UPSTREAM_FEEDS)


def fetch(url: str) -> bytes:
    """The body of `url`; raises OutboundError for no usable answer."""
    response = send_request(
        OutboundRequest(
            method="GET",
            url=url,
            headers={"User-Agent": USER_AGENT, "Accept": "application/atom+xml, */*"},
            timeout=TIMEOUT_SECONDS,
            max_response_bytes=MAX_DOCUMENT_BYTES + 1,
        )
    )
    if not response.is_success:
        raise OutboundError(f"The feed answered {response.status}.")
    return response.body


def cap_sources(root: Any, base_url: str) -> tuple[list[Any], list[str]]:
    """The CAP alerts a parsed feed embeds, and the URLs of those it links to."""
    if root.tag == f"{{{NS['cap']}}}alert":
        return [root], []
    embedded: list[Any] = []
    linked: list[str] = []
    for entry in [*root.iter(f"{{{ATOM}}}entry"), *root.iter("item")]:
        alert = entry.find(f".//{{{NS['cap']}}}alert")
        if alert is not None:
            embedded.append(alert)
            continue
        link = _cap_link(entry)
        if link:
            linked.append(urljoin(base_url, link))
    return embedded, linked[:MAX_LINKED_PER_POLL]


def _cap_link(entry: Any) -> str:
    for link in entry.iter(f"{{{ATOM}}}link"):
        href = link.get("href", "")
        if link.get("type") in CAP_TYPES or href.endswith((".xml", ".cap")):
            return str(href)
    plain = entry.find("link")
    return (plain.text or "").strip() if plain is not None else ""


def poll_feed(url: str) -> PollResult:
    """Read one feed and store its new CAP messages; never raises for the feed's faults."""
    try:
        root = parse_document(fetch(url))
    except (OutboundError, InvalidInput) as error:
        logger.warning("Upstream alert feed %s could not be read: %s", url, error)
        return PollResult(feed=url, error=str(error))
    embedded, linked = cap_sources(root, url)
    read = new = refused = 0
    for source in [*embedded, *linked]:
        try:
            received = (
                read_cap(fetch(source))
                if isinstance(source, str)
                else received_from_element(source)
            )
        except (OutboundError, InvalidInput) as error:
            logger.warning(
                "An alert of feed %s was refused: %s", url, getattr(error, "fields", error)
            )
            refused += 1
            continue
        _incoming, created = receive_cap(received, source=IncomingAlert.Source.FEED, feed_url=url)
        read += 1
        new += int(created)
    return PollResult(feed=url, read=read, new=new, refused=refused)


@task(queue_name="default")
def poll_upstream_feeds() -> int:
    """Poll every upstream feed once; returns how many new alerts were received."""
    return sum(poll_feed(url).new for url in upstream_feeds())
