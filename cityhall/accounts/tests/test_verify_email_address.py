import pytest
from django.contrib.auth.hashers import make_password
from django.core import signing

from cityhall.accounts.errors import InvalidLink
from cityhall.accounts.services import EmailConfirmation, PendingPassword, verify_email_address
from cityhall.accounts.tests.factories import UserFactory
from cityhall.accounts.tokens import make_email_verification_token
from cityhall.core.models import AuditEvent


@pytest.mark.django_db
def test_a_valid_link_confirms_the_address_signs_in_and_is_audited():
    user = UserFactory(email_verified_at=None)

    confirmation = verify_email_address(token=make_email_verification_token(user))

    assert confirmation == EmailConfirmation(user=user, confirmed_now=True)
    user.refresh_from_db()
    assert user.has_verified_email
    assert user.last_login is not None
    assert AuditEvent.objects.filter(action="accounts.email_verified", actor=user).exists()
    assert AuditEvent.objects.get(action="accounts.signed_in").data == {
        "method": "email_verification"
    }


@pytest.mark.django_db
def test_a_link_used_again_confirms_nothing_and_signs_no_one_in():
    user = UserFactory(email_verified_at=None)
    token = make_email_verification_token(user)
    verify_email_address(token=token)

    again = verify_email_address(token=token)

    assert again.confirmed_now is False
    assert AuditEvent.objects.filter(action="accounts.signed_in").count() == 1


@pytest.mark.django_db
def test_a_pending_password_for_another_address_is_not_kept():
    user = UserFactory(email_verified_at=None)
    other = PendingPassword(email="someone.else@example.org", password_hash=make_password("x"))

    verify_email_address(token=make_email_verification_token(user), pending_password=other)

    user.refresh_from_db()
    assert not user.has_usable_password()


@pytest.mark.django_db
def test_a_forged_link_is_refused():
    with pytest.raises(InvalidLink):
        verify_email_address(token="not-a-token")


@pytest.mark.django_db
def test_a_link_for_an_address_that_changed_since_is_refused():
    user = UserFactory(email_verified_at=None)
    token = make_email_verification_token(user)
    user.email = "changed@example.org"
    user.save()

    with pytest.raises(InvalidLink):
        verify_email_address(token=token)


@pytest.mark.django_db
def test_a_link_signed_with_another_purpose_is_refused():
    user = UserFactory(email_verified_at=None)
    token = signing.dumps({"user": str(user.public_id), "email": user.email}, salt="other")

    with pytest.raises(InvalidLink):
        verify_email_address(token=token)


@pytest.mark.django_db
def test_a_link_for_a_deactivated_account_is_refused():
    user = UserFactory(email_verified_at=None, is_active=False)

    with pytest.raises(InvalidLink):
        verify_email_address(token=make_email_verification_token(user))


@pytest.mark.django_db
def test_an_expired_link_is_refused(monkeypatch):
    user = UserFactory(email_verified_at=None)
    token = make_email_verification_token(user)
    monkeypatch.setattr("cityhall.accounts.tokens.EMAIL_VERIFICATION_MAX_AGE", -1)

    with pytest.raises(InvalidLink):
        verify_email_address(token=token)
