import pytest
from django.urls import reverse
from django.utils import translation


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("url_name", ["portal:accessibility", "portal:privacy"])
def test_static_page_renders_in_each_language(client, url_name, language):
    with translation.override(language):
        path = reverse(url_name)

    response = client.get(path)

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


def _english(url_name: str) -> str:
    with translation.override("en"):
        return reverse(url_name)


def test_accessibility_statement_names_its_standard_and_how_to_report_a_barrier(client):
    text = client.get(_english("portal:accessibility")).content.decode()

    assert "<title>Accessibility statement · Rivière-aux-Saules</title>" in text
    assert "WCAG" in text
    assert "report a barrier" in text


def test_french_privacy_notice_is_written_in_french(client):
    with translation.override("fr"):
        path = reverse("portal:privacy")

    text = client.get(path).content.decode()

    assert "<title>Confidentialité · Rivière-aux-Saules</title>" in text
    assert "Témoins" in text


@pytest.mark.parametrize("url_name", ["portal:accessibility", "portal:privacy"])
def test_every_portal_page_links_to_both_static_pages_in_its_footer(client, url_name):
    text = client.get(_english(url_name)).content.decode()

    assert f'href="{_english("portal:accessibility")}"' in text
    assert f'href="{_english("portal:privacy")}"' in text
