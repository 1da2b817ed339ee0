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
