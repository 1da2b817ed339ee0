import re

import pytest


def _html_lang(content: bytes) -> str:
    match = re.search(rb'<html lang="([a-z-]+)"', content)
    assert match is not None, "the page has no <html lang>"
    return match.group(1).decode()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_home_page_is_served_in_each_language_with_its_lang_attribute(client, language):
    response = client.get(f"/{language}/")

    assert response.status_code == 200
    assert _html_lang(response.content) == language


def test_french_home_page_is_written_in_french(client):
    response = client.get("/fr/")

    text = response.content.decode()
    assert "Bienvenue à Rivière-aux-Saules" in text
    assert "Ce que vous pouvez faire ici" in text
    assert "Welcome to" not in text


def test_home_page_title_follows_the_page_then_city_pattern(client):
    response = client.get("/en/")

    assert "<title>Home · Rivière-aux-Saules</title>" in response.content.decode()


def test_home_page_has_the_landmarks_and_skip_link_first(client):
    text = client.get("/en/").content.decode()

    body = text[text.index("<body") :]
    first_link = re.search(r"<a [^>]*>", body)
    assert first_link is not None
    assert 'href="#main"' in first_link.group(0)
    for landmark in ('<header class="site-header">', '<main id="main"', "<footer", "<nav "):
        assert landmark in text


def test_home_page_gives_the_emergency_and_city_numbers(client):
    text = client.get("/en/").content.decode()

    assert 'href="tel:911"' in text
    assert 'href="tel:311"' in text


def test_home_page_searches_the_service_catalog(client):
    text = client.get("/fr/").content.decode()

    assert '<form class="search-form" method="get" action="/fr/services/" role="search">' in text
    assert 'name="q"' in text
    assert "De quoi avez-vous besoin?" in text


def test_an_anonymous_visitor_can_track_a_request_from_the_home_page(client, db):
    page = client.get("/en/").content.decode()

    assert 'action="/en/requests/track/"' in page
    assert "Track a request" in page
    # Following one's requests needs an account; an anonymous visitor is sent to the lookup.
    assert '<a href="/en/requests/track/">Follow your requests</a>' in page


def test_a_signed_in_citizen_is_sent_to_their_requests_and_may_still_track_one(client, citizen):
    client.force_login(citizen)

    page = client.get("/en/").content.decode()

    assert '<a href="/en/requests/">Follow your requests</a>' in page
    assert 'action="/en/requests/track/"' in page
