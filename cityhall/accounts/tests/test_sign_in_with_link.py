import pytest
from django.test import override_settings

from cityhall.accounts.errors import InvalidLink
from cityhall.accounts.services import sign_in_with_link, sign_in_with_password
from cityhall.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from cityhall.accounts.tokens import make_sign_in_token
from cityhall.core.models import AuditEvent


@pytest.mark.django_db
def test_a_sign_in_link_signs_in_once(citizen):
    token = make_sign_in_token(citizen)

    user = sign_in_with_link(token=token, ip_address="192.0.2.1")

    assert user == citizen
    assert AuditEvent.objects.get(action="accounts.signed_in").data == {"method": "link"}
    with pytest.raises(InvalidLink):
        sign_in_with_link(token=token, ip_address="192.0.2.1")


@pytest.mark.django_db
def test_signing_in_with_the_password_uses_up_outstanding_links(citizen):
    token = make_sign_in_token(citizen)
    sign_in_with_password(email=citizen.email, password=DEFAULT_PASSWORD, ip_address=None)

    with pytest.raises(InvalidLink):
        sign_in_with_link(token=token, ip_address=None)


@pytest.mark.django_db
def test_an_expired_sign_in_link_is_refused(citizen):
    token = make_sign_in_token(citizen)

    with override_settings(SIGN_IN_LINK_MAX_AGE=-1), pytest.raises(InvalidLink):
        sign_in_with_link(token=token, ip_address=None)


@pytest.mark.django_db
def test_a_forged_sign_in_link_is_refused():
    with pytest.raises(InvalidLink):
        sign_in_with_link(token="forged:token", ip_address=None)


@pytest.mark.django_db
def test_a_link_for_a_deactivated_account_is_refused(citizen):
    token = make_sign_in_token(citizen)
    citizen.is_active = False
    citizen.save()

    with pytest.raises(InvalidLink):
        sign_in_with_link(token=token, ip_address=None)


@pytest.mark.django_db
def test_following_a_link_confirms_an_unconfirmed_address():
    user = UserFactory(email_verified_at=None)

    sign_in_with_link(token=make_sign_in_token(user), ip_address=None)

    user.refresh_from_db()
    assert user.has_verified_email
