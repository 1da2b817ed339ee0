import pytest


@pytest.mark.parametrize("path", ["/", "/accessibility/", "/privacy/"])
def test_english_page_links_to_the_same_page_in_french(client, path):
    text = client.get(f"/en{path}").content.decode()

    assert f'<a href="/fr{path}" hreflang="fr" lang="fr">Français</a>' in text


@pytest.mark.parametrize("path", ["/", "/accessibility/", "/privacy/"])
def test_french_page_links_to_the_same_page_in_english(client, path):
    text = client.get(f"/fr{path}").content.decode()

    assert f'<a href="/en{path}" hreflang="en" lang="en">English</a>' in text


def test_language_switch_keeps_the_query_string(client):
    text = client.get("/en/?from=newsletter").content.decode()

    assert 'href="/fr/?from=newsletter"' in text
