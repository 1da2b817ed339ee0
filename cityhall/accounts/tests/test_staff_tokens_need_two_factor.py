"""A personal access token acts as staff only when made from a two-factor staff session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cityhall.accounts.models import PersonalAccessToken
from cityhall.accounts.services import (
    create_personal_access_token,
    request_sign_in_link,
    reset_totp,
)
from cityhall.accounts.tests.factories import DEFAULT_PASSWORD
from cityhall.accounts.tests.fixtures import link_in_last_email, relative
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.core.errors import InvalidInput, PermissionDenied
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


@pytest.fixture
def department_request(supervisor):
    return ServiceRequestFactory(service__department__code="public-works")


def _bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _staff_calls(token: str, department_request) -> tuple[int, int]:
    client = _bearer(token)
    queue = client.get("/api/v1/staff/requests")
    update = client.post(
        f"/api/v1/staff/requests/{department_request.public_id}/updates",
        {"public_note": "The crew is on its way."},
        format="json",
    )
    return queue.status_code, update.status_code


def test_a_supervisor_signed_in_by_emailed_link_cannot_reach_the_staff_api_with_a_token(
    supervisor, department_request, django_capture_on_commit_callbacks
):
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        request_sign_in_link(email=supervisor.email, ip_address=None)
    browser.post(relative(link_in_last_email("/sign-in/link/")))

    created = browser.post("/api/v1/me/tokens", {"name": "Script"}, content_type="application/json")

    assert created.status_code == 201
    assert created.json()["staff"] is False
    assert _staff_calls(created.json()["token"], department_request) == (403, 403)


def test_a_supervisor_signed_in_by_password_on_the_portal_gets_only_an_ordinary_token(
    supervisor, department_request
):
    browser = Client()
    browser.post(
        reverse("portal:sign_in"), {"email": supervisor.email, "password": DEFAULT_PASSWORD}
    )

    created = browser.post("/api/v1/me/tokens", {"name": "Script"}, content_type="application/json")

    assert created.status_code == 201
    assert _staff_calls(created.json()["token"], department_request) == (403, 403)


def test_a_token_made_from_a_two_factor_staff_session_acts_as_staff_and_expires(
    supervisor, department_request, settings
):
    settings.STAFF_ACCESS_TOKEN_MAX_DAYS = 30
    browser = Client()
    sign_in_with_two_factor(browser, supervisor)

    created = browser.post("/api/v1/me/tokens", {"name": "Script"}, content_type="application/json")

    stored = PersonalAccessToken.objects.get()
    assert created.json()["staff"] is True
    assert stored.expires_at is not None
    assert stored.expires_at <= timezone.now() + timedelta(days=30)
    assert _staff_calls(created.json()["token"], department_request) == (200, 201)


def test_a_token_made_with_a_staff_token_is_ordinary(supervisor, department_request):
    browser = Client()
    sign_in_with_two_factor(browser, supervisor)
    staff_token = browser.post(
        "/api/v1/me/tokens", {"name": "Parent"}, content_type="application/json"
    ).json()["token"]

    child = _bearer(staff_token).post("/api/v1/me/tokens", {"name": "Child"}, format="json")

    assert child.status_code == 201
    assert child.json()["staff"] is False
    assert _staff_calls(child.json()["token"], department_request) == (403, 403)


def test_tokens_made_by_an_administrator_or_the_command_line_never_act_as_staff(
    admin, supervisor, department_request, capsys
):
    by_admin = create_personal_access_token(actor=admin, owner=supervisor, name="Tablet")
    call_command("create_personal_access_token", "--email", supervisor.email)
    by_command = capsys.readouterr().out.strip().splitlines()[-1]

    assert _staff_calls(by_admin.token, department_request) == (403, 403)
    assert _staff_calls(by_command, department_request) == (403, 403)


def test_only_the_owner_in_a_staff_role_may_make_a_staff_token(admin, supervisor, citizen):
    with pytest.raises(PermissionDenied):
        create_personal_access_token(
            actor=admin, owner=supervisor, name="x", from_verified_staff_session=True
        )
    with pytest.raises(PermissionDenied):
        create_personal_access_token(
            actor=None, owner=supervisor, name="x", from_verified_staff_session=True
        )
    with pytest.raises(PermissionDenied):
        create_personal_access_token(
            actor=citizen, owner=citizen, name="x", from_verified_staff_session=True
        )

    assert not PersonalAccessToken.objects.exists()


def test_a_staff_token_cannot_outlive_the_configured_limit(supervisor, settings):
    settings.STAFF_ACCESS_TOKEN_MAX_DAYS = 30

    with pytest.raises(InvalidInput) as raised:
        create_personal_access_token(
            actor=supervisor,
            owner=supervisor,
            name="Long",
            expires_at=timezone.now() + timedelta(days=31),
            from_verified_staff_session=True,
        )

    assert "expires_at" in raised.value.fields


def test_resetting_the_second_factor_revokes_the_staff_tokens_only(admin, supervisor):
    staff_token = create_personal_access_token(
        actor=supervisor, owner=supervisor, name="Staff", from_verified_staff_session=True
    )
    ordinary = create_personal_access_token(actor=supervisor, owner=supervisor, name="Mine")

    reset_totp(actor=admin, user=supervisor)

    assert _bearer(staff_token.token).get("/api/v1/me").status_code == 401
    assert _bearer(ordinary.token).get("/api/v1/me").status_code == 200
