"""Staff list, create (shown once) and revoke their own API tokens in the back office."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from cityhall.accounts.models import PersonalAccessToken
from cityhall.accounts.services import create_personal_access_token
from cityhall.backoffice.navigation import navigation_for
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor

pytestmark = pytest.mark.django_db

PAGE = "/en/staff/my-tokens/"


def _staff_queue(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.get("/api/v1/staff/requests").status_code


def test_every_staff_member_reaches_the_page_from_the_navigation(agent):
    assert PAGE in [link.url for link in navigation_for(agent)]


def test_a_token_made_here_is_shown_once_acts_as_staff_and_expires(client, agent, settings):
    settings.STAFF_ACCESS_TOKEN_MAX_DAYS = 30
    sign_in_with_two_factor(client, agent)

    created = client.post(PAGE, {"name": "Dispatch script", "days": "7"})
    listed = client.get(PAGE)

    token = created.context["issued"].token
    assert created.status_code == 200
    assert created["Cache-Control"] == "no-store"
    assert token in created.content.decode()
    assert token.split(".")[1] not in listed.content.decode()
    assert "Dispatch script" in listed.content.decode()
    stored = PersonalAccessToken.objects.get(user=agent)
    assert stored.is_staff_verified
    assert stored.expires_at is not None
    assert stored.expires_at <= timezone.now() + timedelta(days=7)
    assert _staff_queue(token) == 200


def test_a_lifetime_past_the_limit_is_refused_on_its_field(client, agent, settings):
    settings.STAFF_ACCESS_TOKEN_MAX_DAYS = 30
    sign_in_with_two_factor(client, agent)

    response = client.post(PAGE, {"name": "Forever", "days": "31"})

    assert response.status_code == 200
    assert 'id="id_days_error"' in response.content.decode()
    assert not PersonalAccessToken.objects.exists()


def test_a_session_without_two_factor_is_sent_to_the_staff_sign_in(client, agent):
    client.force_login(agent)

    response = client.post(PAGE, {"name": "Sneaky", "days": "7"})

    assert response.status_code == 302
    assert "/staff/sign-in/" in response["Location"]
    assert not PersonalAccessToken.objects.exists()


def test_revoking_stops_the_token_at_once(client, agent):
    issued = create_personal_access_token(
        actor=agent, owner=agent, name="Old", from_verified_staff_session=True
    )
    sign_in_with_two_factor(client, agent)

    response = client.post(f"{PAGE}{issued.access_token.public_id}/revoke/")

    assert response.status_code == 302
    assert _staff_queue(issued.token) == 401


def test_another_staff_members_token_is_404_and_stays_valid(client, agent, outside_agent):
    issued = create_personal_access_token(
        actor=outside_agent, owner=outside_agent, name="Theirs", from_verified_staff_session=True
    )
    sign_in_with_two_factor(client, agent)

    response = client.post(f"{PAGE}{issued.access_token.public_id}/revoke/")

    assert response.status_code == 404
    assert PersonalAccessToken.objects.get(pk=issued.access_token.pk).revoked_at is None
