"""Personal access tokens: shown once, act as their owner on the API, revocable, expiring."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from cityhall.accounts.errors import InvalidAccessToken
from cityhall.accounts.models import PersonalAccessToken
from cityhall.accounts.services import (
    authenticate_personal_access_token,
    create_personal_access_token,
    revoke_personal_access_token,
)
from cityhall.core.errors import InvalidInput, NotFound
from cityhall.core.models import AuditEvent


@pytest.mark.django_db
def test_the_owner_creates_a_token_whose_secret_is_only_stored_as_a_digest(citizen):
    issued = create_personal_access_token(actor=citizen, owner=citizen, name="My script")

    prefix, secret = issued.token.split(".")
    stored = PersonalAccessToken.objects.get(prefix=prefix)
    assert stored.user == citizen
    assert secret not in stored.secret_hash
    assert secret not in str(AuditEvent.objects.get(action="accounts.access_token_created").data)
    assert authenticate_personal_access_token(raw_token=issued.token) == stored


@pytest.mark.django_db
def test_someone_else_cannot_create_or_revoke_a_token_for_the_owner(citizen, other_citizen):
    issued = create_personal_access_token(actor=citizen, owner=citizen, name="Mine")

    with pytest.raises(NotFound):
        create_personal_access_token(actor=other_citizen, owner=citizen, name="Theirs")
    with pytest.raises(NotFound):
        revoke_personal_access_token(actor=other_citizen, access_token=issued.access_token)


@pytest.mark.django_db
def test_a_city_admin_may_issue_a_token_for_an_account(admin, agent):
    issued = create_personal_access_token(actor=admin, owner=agent, name="Dispatch tablet")

    assert authenticate_personal_access_token(raw_token=issued.token).user == agent


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_reasonable_name(citizen, name):
    with pytest.raises(InvalidInput) as raised:
        create_personal_access_token(actor=citizen, owner=citizen, name=name)

    assert "name" in raised.value.fields
    assert not PersonalAccessToken.objects.exists()


@pytest.mark.django_db
def test_an_expiry_in_the_past_is_refused(citizen):
    with pytest.raises(InvalidInput) as raised:
        create_personal_access_token(
            actor=citizen, owner=citizen, name="Old", expires_at=timezone.now()
        )

    assert "expires_at" in raised.value.fields


@pytest.mark.django_db
def test_a_revoked_or_expired_token_stops_working(citizen):
    revoked = create_personal_access_token(actor=citizen, owner=citizen, name="A")
    expiring = create_personal_access_token(
        actor=citizen, owner=citizen, name="B", expires_at=timezone.now() + timedelta(seconds=1)
    )

    revoke_personal_access_token(actor=citizen, access_token=revoked.access_token)
    PersonalAccessToken.objects.filter(pk=expiring.access_token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    for issued in (revoked, expiring):
        with pytest.raises(InvalidAccessToken):
            authenticate_personal_access_token(raw_token=issued.token)


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["", "nodot", "unknown.secret", ".secret", "prefix."])
def test_malformed_or_unknown_tokens_are_refused(raw):
    with pytest.raises(InvalidAccessToken):
        authenticate_personal_access_token(raw_token=raw)


@pytest.mark.django_db
def test_a_right_prefix_with_a_wrong_secret_is_refused(citizen):
    issued = create_personal_access_token(actor=citizen, owner=citizen, name="A")

    with pytest.raises(InvalidAccessToken):
        authenticate_personal_access_token(raw_token=issued.access_token.prefix + ".wrong")


@pytest.mark.django_db
def test_the_api_acts_as_the_owner_with_a_bearer_token_and_refuses_a_revoked_one(citizen):
    issued = create_personal_access_token(actor=citizen, owner=citizen, name="A")
    client = APIClient()

    answered = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {issued.token}")
    revoke_personal_access_token(actor=citizen, access_token=issued.access_token)
    refused = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {issued.token}")

    assert answered.status_code == 200
    assert answered.json()["person"]["email"] == citizen.email
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "authentication_failed"


@pytest.mark.django_db
def test_the_command_prints_a_working_token_alone_on_the_last_line(citizen):
    out = StringIO()

    call_command("create_personal_access_token", "--email", citizen.email.upper(), stdout=out)

    token = out.getvalue().strip().splitlines()[-1]
    assert authenticate_personal_access_token(raw_token=token).user == citizen
    assert AuditEvent.objects.get(action="accounts.access_token_created").actor is None


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_email():
    with pytest.raises(CommandError, match="No account"):
        call_command("create_personal_access_token", "--email", "nobody@example.org")
