import pytest
from django.core import mail

from cityhall.accounts.errors import InvalidAccessToken, InvalidLink, SignInFailed, SignInLocked
from cityhall.accounts.services import (
    authenticate_personal_access_token,
    create_personal_access_token,
    reset_password,
    sign_in_with_password,
)
from cityhall.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from cityhall.accounts.tokens import password_reset_tokens
from cityhall.core.errors import InvalidInput

NEW = "lighthouse-harbour-77"


@pytest.mark.django_db
def test_a_reset_link_sets_the_new_password_once(citizen, django_capture_on_commit_callbacks):
    token = password_reset_tokens.make_token(citizen)

    with django_capture_on_commit_callbacks(execute=True):
        reset_password(public_id=citizen.public_id, token=token, new_password=NEW)

    citizen.refresh_from_db()
    assert citizen.check_password(NEW)
    assert "account was just changed" in mail.outbox[-1].body
    with pytest.raises(InvalidLink):
        reset_password(public_id=citizen.public_id, token=token, new_password="another-" + NEW)


@pytest.mark.django_db
def test_a_reset_link_for_another_account_is_refused(citizen, other_citizen):
    token = password_reset_tokens.make_token(citizen)

    with pytest.raises(InvalidLink):
        reset_password(public_id=other_citizen.public_id, token=token, new_password=NEW)


@pytest.mark.django_db
def test_a_weak_new_password_is_refused_on_its_field(citizen):
    token = password_reset_tokens.make_token(citizen)

    with pytest.raises(InvalidInput) as caught:
        reset_password(public_id=citizen.public_id, token=token, new_password="12345678")

    assert set(caught.value.fields) == {"new_password"}


@pytest.mark.django_db
def test_resetting_the_password_lifts_a_sign_in_lock(citizen, settings):
    settings.SIGN_IN_MAX_FAILURES = 1
    with pytest.raises(SignInLocked):
        sign_in_with_password(email=citizen.email, password="wrong", ip_address=None)

    reset_password(
        public_id=citizen.public_id,
        token=password_reset_tokens.make_token(citizen),
        new_password=NEW,
    )

    assert sign_in_with_password(email=citizen.email, password=NEW, ip_address=None) == citizen


@pytest.mark.django_db
def test_resetting_the_password_lifts_the_lock_of_the_address_that_failed(citizen, settings):
    settings.SIGN_IN_MAX_FAILURES = 1
    with pytest.raises(SignInLocked):
        sign_in_with_password(email=citizen.email, password="wrong", ip_address="192.0.2.1")

    _reset(citizen)

    assert sign_in_with_password(email=citizen.email, password=NEW, ip_address="192.0.2.1")


@pytest.mark.django_db
def test_after_a_reset_addresses_where_the_account_signed_in_are_trusted_no_more(citizen, settings):
    settings.SIGN_IN_MAX_FAILURES = 2
    sign_in_with_password(email=citizen.email, password=DEFAULT_PASSWORD, ip_address="192.0.2.1")
    _reset(citizen)
    for n in range(8):
        with pytest.raises(SignInFailed):
            sign_in_with_password(email=citizen.email, password="x", ip_address=f"198.51.100.{n}")

    with pytest.raises(SignInLocked):
        sign_in_with_password(email=citizen.email, password=NEW, ip_address="192.0.2.1")


def _reset(user):
    user.refresh_from_db()  # the token depends on the last sign-in
    token = password_reset_tokens.make_token(user)
    reset_password(public_id=user.public_id, token=token, new_password=NEW)


@pytest.mark.django_db
def test_a_reset_link_confirms_an_unconfirmed_address():
    user = UserFactory(email_verified_at=None)

    reset_password(
        public_id=user.public_id, token=password_reset_tokens.make_token(user), new_password=NEW
    )

    user.refresh_from_db()
    assert user.has_verified_email


def test_a_password_reset_revokes_the_accounts_access_tokens(citizen):
    issued = create_personal_access_token(actor=citizen, owner=citizen, name="phone app")

    _reset(citizen)

    with pytest.raises(InvalidAccessToken):
        authenticate_personal_access_token(raw_token=issued.token)
