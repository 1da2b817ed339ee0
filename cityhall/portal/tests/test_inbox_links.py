"""Inbox entries are real links: to the page the notice is about, and to any address it names."""

from __future__ import annotations

import pytest

from cityhall.notifications.services import site_path
from cityhall.notifications.tests.factories import inbox_notification


def test_an_absolute_address_on_this_site_becomes_its_path(settings):
    settings.CITYHALL_BASE_URL = "http://127.0.0.1:8101/"

    assert site_path("http://127.0.0.1:8101/en/requests/RAS-26-000001/") == (
        "/en/requests/RAS-26-000001/"
    )
    assert site_path("/fr/notifications/") == "/fr/notifications/"


@pytest.mark.parametrize(
    "elsewhere",
    [
        "http://127.0.0.1:8000/en/",
        "https://evil.example/en/",
        "//evil.example/",
        "http://127.0.0.1:81010/",
    ],
)
def test_an_address_elsewhere_gives_no_link(settings, elsewhere):
    settings.CITYHALL_BASE_URL = "http://127.0.0.1:8101"

    assert site_path(elsewhere) == ""


@pytest.mark.django_db
def test_an_inbox_entry_links_to_its_page_and_to_the_addresses_it_names(client, citizen):
    inbox_notification(
        citizen,
        "Your request RAS-26-000001 is closed",
        body="Read it at http://127.0.0.1:8000/en/requests/RAS-26-000001/ any time.",
        link="/en/requests/RAS-26-000001/",
    )
    client.force_login(citizen)

    text = client.get("/en/notifications/").content.decode()

    assert '<a href="/en/requests/RAS-26-000001/">Your request RAS-26-000001 is closed</a>' in text
    assert '<a href="http://127.0.0.1:8000/en/requests/RAS-26-000001/"' in text
