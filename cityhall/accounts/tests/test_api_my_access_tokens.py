"""People list, create and revoke their own personal access tokens through /api/v1/me/tokens."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from cityhall.accounts.models import PersonalAccessToken
from cityhall.accounts.services import create_personal_access_token


@pytest.fixture
def api(citizen):
    client = APIClient()
    client.force_authenticate(citizen)
    return client


def test_a_new_token_is_shown_once_and_then_listed_without_its_secret(api, citizen):
    created = api.post("/api/v1/me/tokens", {"name": "Home script"}, format="json")
    listed = api.get("/api/v1/me/tokens")

    token = created.json()["token"]
    assert created.status_code == 201
    assert APIClient().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert listed.json()["results"][0]["name"] == "Home script"
    assert token.split(".")[1] not in listed.content.decode()


def test_a_token_is_revoked_by_its_owner_and_stops_working(api, citizen):
    issued = create_personal_access_token(actor=citizen, owner=citizen, name="Old")

    response = api.delete(f"/api/v1/me/tokens/{issued.access_token.public_id}")

    assert response.status_code == 204
    answer = APIClient().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {issued.token}")
    assert answer.status_code == 401


def test_someone_elses_token_is_404_and_stays_valid(api, other_citizen):
    issued = create_personal_access_token(actor=None, owner=other_citizen, name="Theirs")

    response = api.delete(f"/api/v1/me/tokens/{issued.access_token.public_id}")

    assert response.status_code == 404
    assert PersonalAccessToken.objects.get(pk=issued.access_token.pk).revoked_at is None


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "name"), ({"name": ""}, "name"), ({"name": "x", "expires_at": "soon"}, "expires_at"),
     ({"name": "x", "scope": "all"}, "scope")],
)  # fmt: skip
def test_bad_token_requests_are_a_400_on_that_field(api, body, field):
    response = api.post("/api/v1/me/tokens", body, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert not PersonalAccessToken.objects.exists()
