import pytest

from cityhall.accounts.services import reset_totp
from cityhall.accounts.tests.fixtures import give_confirmed_totp
from cityhall.core.errors import PermissionDenied
from cityhall.core.models import AuditEvent


@pytest.mark.django_db
def test_a_city_admin_resets_a_lost_authenticator(admin, agent):
    give_confirmed_totp(agent)

    reset_totp(actor=admin, user=agent)

    agent.refresh_from_db()
    assert (agent.totp_secret, agent.totp_confirmed_at, agent.totp_last_step) == ("", None, None)
    assert AuditEvent.objects.get(action="accounts.totp_reset").actor == admin


@pytest.mark.django_db
def test_a_city_admin_cannot_reset_their_own_authenticator(admin):
    give_confirmed_totp(admin)

    with pytest.raises(PermissionDenied):
        reset_totp(actor=admin, user=admin)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["supervisor", "outside_agent"])
def test_other_staff_cannot_reset_an_authenticator(persona, request, agent):
    give_confirmed_totp(agent)

    with pytest.raises(PermissionDenied):
        reset_totp(actor=request.getfixturevalue(persona), user=agent)

    agent.refresh_from_db()
    assert agent.totp_confirmed_at is not None
