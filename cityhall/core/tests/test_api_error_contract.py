"""API errors share one machine-readable shape: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_an_unauthenticated_call_gets_401_with_the_schemes_to_use(client):
    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert "WWW-Authenticate" in response.headers


@pytest.mark.django_db
def test_a_wrong_api_key_is_refused_with_the_same_error_shape(client):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Api-Key nope.not-a-real-key")

    assert response.status_code in {401, 403}
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_not_found_is_a_404_for_pages_and_the_error_contract_for_the_api():
    from django.http import Http404

    from cityhall.core.api import handle_api_exception
    from cityhall.core.errors import NotFound

    assert isinstance(NotFound(), Http404)
    response = handle_api_exception(NotFound(), {})
    assert response is not None
    assert response.status_code == 404
    assert response.data["error"]["code"] == "not_found"
