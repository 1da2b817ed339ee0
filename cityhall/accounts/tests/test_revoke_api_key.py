import pytest

from cityhall.accounts.services import create_api_key, revoke_api_key
from cityhall.accounts.tests.factories import PartnerOrganisationFactory
from cityhall.core.errors import PermissionDenied
from cityhall.core.models import AuditEvent


@pytest.fixture
def api_key(admin):
    return create_api_key(
        actor=admin, organisation=PartnerOrganisationFactory(), name="K", scopes=["requests:read"]
    ).api_key


@pytest.mark.django_db
def test_revoking_twice_keeps_the_first_time_and_one_audit_line(admin, api_key):
    revoke_api_key(actor=admin, api_key=api_key)
    first = api_key.revoked_at

    revoke_api_key(actor=admin, api_key=api_key)

    assert api_key.revoked_at == first is not None
    assert AuditEvent.objects.filter(action="accounts.api_key_revoked").count() == 1


@pytest.mark.django_db
def test_a_partner_cannot_revoke_keys(partner, api_key):
    with pytest.raises(PermissionDenied):
        revoke_api_key(actor=partner, api_key=api_key)

    api_key.refresh_from_db()
    assert api_key.revoked_at is None
