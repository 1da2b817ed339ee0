import hashlib

import pytest

from cityhall.accounts.models import ApiKey
from cityhall.accounts.services import create_api_key
from cityhall.accounts.tests.factories import PartnerOrganisationFactory
from cityhall.core.errors import Conflict, InvalidInput, PermissionDenied
from cityhall.core.models import AuditEvent


@pytest.mark.django_db
def test_a_city_admin_creates_a_key_shown_once_as_prefix_dot_secret(admin):
    organisation = PartnerOrganisationFactory()

    issued = create_api_key(
        actor=admin,
        organisation=organisation,
        name="Work orders",
        scopes=["requests:read", "open311:write"],
    )

    prefix, secret = issued.key.split(".")
    assert issued.api_key.prefix == prefix
    assert issued.api_key.scopes == ["open311:write", "requests:read"]
    assert len(secret) >= 40
    event = AuditEvent.objects.get(action="accounts.api_key_created")
    assert secret not in str(event.data)


@pytest.mark.django_db
def test_api_key_secret_is_not_stored(admin):
    issued = create_api_key(
        actor=admin, organisation=PartnerOrganisationFactory(), name="K", scopes=["requests:read"]
    )
    secret = issued.key.split(".")[1]

    row = ApiKey.objects.values().get(pk=issued.api_key.pk)

    assert not any(secret in str(value) for value in row.values())
    assert row["secret_hash"] == hashlib.sha256(secret.encode()).hexdigest()


@pytest.mark.django_db
def test_two_keys_never_share_a_prefix_or_secret(admin):
    organisation = PartnerOrganisationFactory()

    keys = {
        create_api_key(
            actor=admin, organisation=organisation, name="K", scopes=["requests:read"]
        ).key
        for _ in range(5)
    }

    assert len(keys) == 5
    assert len({key.split(".")[0] for key in keys}) == 5


@pytest.mark.django_db
@pytest.mark.parametrize("scopes", [[], ["requests:read", "admin:everything"]])
def test_missing_or_unknown_scopes_are_refused(admin, scopes):
    with pytest.raises(InvalidInput) as caught:
        create_api_key(
            actor=admin, organisation=PartnerOrganisationFactory(), name="K", scopes=scopes
        )

    assert "scopes" in caught.value.fields
    assert not ApiKey.objects.exists()


@pytest.mark.django_db
def test_a_key_needs_a_name(admin):
    with pytest.raises(InvalidInput) as caught:
        create_api_key(
            actor=admin,
            organisation=PartnerOrganisationFactory(),
            name="  ",
            scopes=["requests:read"],
        )

    assert "name" in caught.value.fields


@pytest.mark.django_db
def test_an_inactive_organisation_gets_no_key(admin):
    with pytest.raises(Conflict):
        create_api_key(
            actor=admin,
            organisation=PartnerOrganisationFactory(is_active=False),
            name="K",
            scopes=["requests:read"],
        )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["agent", "partner", "citizen"])
def test_only_a_city_admin_creates_keys(persona, request):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        create_api_key(
            actor=actor,
            organisation=PartnerOrganisationFactory(),
            name="K",
            scopes=["requests:read"],
        )


@pytest.mark.django_db
def test_the_webhooks_scope_that_no_endpoint_checks_is_refused(admin):
    with pytest.raises(InvalidInput) as raised:
        create_api_key(
            actor=admin,
            organisation=PartnerOrganisationFactory(),
            name="Hooks",
            scopes=["webhooks:manage"],
        )

    assert "scopes" in raised.value.fields
    assert not ApiKey.objects.exists()
