from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults


def test_missing_page_answers_404_in_both_languages_reader_language_first(client):
    response = client.get("/fr/no-such-page/")

    text = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="fr">' in text
    assert text.index("Page introuvable") < text.index("Page not found")
    assert '<div class="other-language" lang="en">' in text


def test_server_error_page_renders_without_any_context_processor():
    request = RequestFactory().get("/en/")

    with translation.override("en"):
        response = defaults.server_error(request)

    text = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in text
    assert "Une erreur est survenue" in text
    assert 'href="/en/"' in text


def test_access_denied_page_explains_in_both_languages():
    request = RequestFactory().get("/en/")

    with translation.override("en"):
        response = defaults.permission_denied(request, PermissionDenied())

    text = response.content.decode()
    assert response.status_code == 403
    assert "Access denied" in text
    assert "Accès refusé" in text


def test_bad_request_page_explains_in_both_languages():
    request = RequestFactory().get("/en/")

    with translation.override("en"):
        response = defaults.bad_request(request, SuspiciousOperation())

    text = response.content.decode()
    assert response.status_code == 400
    assert "Bad request" in text
    assert "Requête invalide" in text
