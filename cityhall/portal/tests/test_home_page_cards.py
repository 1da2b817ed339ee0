"""The home page offers only what the platform can do: each card leads to its feature's page."""

from __future__ import annotations

import re

import pytest
from django.urls import NoReverseMatch, reverse


def _cards(text: str) -> list[str]:
    return re.findall(r'<li class="card">(.*?)</li>', text, flags=re.DOTALL)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_card_on_the_home_page_links_to_a_page_that_answers(client, language):
    cards = _cards(client.get(f"/{language}/").content.decode())

    assert len(cards) >= 3
    for card in cards:
        link = re.search(r'<h3><a href="([^"]+)">', card)
        assert link is not None, f"a card without a page: {card.strip()[:80]}"
        assert client.get(link.group(1)).status_code in {200, 302}


@pytest.mark.parametrize(
    ("view_name", "title"),
    [("portal:book_appointment", "Book an appointment"), ("engagement:home", "Have your say")],
)
def test_a_feature_that_is_not_installed_has_no_card(client, view_name, title):
    try:
        reverse(view_name)
    except NoReverseMatch:
        installed = False
    else:
        installed = True

    text = client.get("/en/").content.decode()

    assert (title in text) is installed


def test_a_signed_in_citizen_is_offered_their_requests_from_home(client, citizen):
    client.force_login(citizen)

    home = client.get("/fr/").content.decode()

    assert '<a class="button" href="/fr/requests/">' in home
