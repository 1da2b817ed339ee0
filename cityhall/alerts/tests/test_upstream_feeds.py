"""The upstream feed poller: CAP alerts embedded in or linked from Atom feeds become incoming
alerts once each; a broken entry or an unreachable feed stops nothing else."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import override_settings

from cityhall.alerts import upstream
from cityhall.alerts.cap import cap_document
from cityhall.alerts.feeds import atom_feed
from cityhall.alerts.models import Alert, IncomingAlert
from cityhall.alerts.tests.alert_factories import AlertFactory
from cityhall.core.outbound import NoAnswer

pytestmark = pytest.mark.django_db
FEED = "https://alerts.province.example/feed.atom"
ATOM = "http://www.w3.org/2005/Atom"


def serve(pages: dict[str, bytes]):
    def fetch(url: str) -> bytes:
        if url not in pages:
            raise NoAnswer("No answer in time.")
        return pages[url]

    return mock.patch.object(upstream, "fetch", side_effect=fetch)


def test_alerts_embedded_in_an_atom_feed_are_received_once() -> None:
    alerts: list[Alert] = [AlertFactory(), AlertFactory()]
    feed = atom_feed(alerts, self_url=FEED)
    with serve({FEED: feed}):
        first = upstream.poll_feed(FEED)
        again = upstream.poll_feed(FEED)
    assert (first.read, first.new, first.refused) == (2, 2, 0)
    assert (again.read, again.new) == (2, 0)
    received = IncomingAlert.objects.get(identifier=alerts[0].identifier)
    assert received.source == IncomingAlert.Source.FEED
    assert received.feed_url == FEED
    assert received.text("en")["headline"] == "Flooding along the river"


def test_alerts_linked_from_a_feed_are_fetched_and_a_broken_one_is_counted() -> None:
    alert = AlertFactory()
    feed = f"""<feed xmlns="{ATOM}"><title>Province</title>
      <entry><title>A</title><link type="application/cap+xml" href="/cap/a.xml"/></entry>
      <entry><title>B</title><link type="application/cap+xml" href="/cap/b.xml"/></entry>
    </feed>""".encode()
    pages = {
        FEED: feed,
        "https://alerts.province.example/cap/a.xml": cap_document(alert),
        "https://alerts.province.example/cap/b.xml": b"<alert>broken",
    }
    with serve(pages):
        result = upstream.poll_feed(FEED)
    assert (result.read, result.new, result.refused) == (1, 1, 1)
    assert IncomingAlert.objects.get().identifier == alert.identifier


def test_an_unreachable_feed_is_reported_and_the_others_still_read() -> None:
    alert = AlertFactory()
    other = "https://weather.example/cap.xml"
    with (
        override_settings(ALERTS_UPSTREAM_FEEDS=[FEED, other]),
        serve({other: cap_document(alert)}),
    ):
        assert upstream.poll_feed(FEED).error
        assert upstream.poll_upstream_feeds.call() == 1
    assert IncomingAlert.objects.get().feed_url == other
