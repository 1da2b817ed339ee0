import time

import pytest

from cityhall.accounts.errors import InvalidTotpCode, SignInLocked
from cityhall.accounts.services import verify_totp_code
from cityhall.accounts.tests.fixtures import give_confirmed_totp
from cityhall.core.errors import Conflict
from cityhall.core.models import AuditEvent


@pytest.mark.django_db
def test_the_current_code_is_accepted_and_audited(agent):
    totp = give_confirmed_totp(agent)

    verify_totp_code(user=agent, code=totp.now(), ip_address="192.0.2.1")

    assert AuditEvent.objects.get(action="accounts.totp_verified").ip_address == "192.0.2.1"


@pytest.mark.django_db
@pytest.mark.parametrize("offset", [-30, 30])
def test_a_code_one_step_either_side_is_accepted(agent, offset):
    totp = give_confirmed_totp(agent)

    verify_totp_code(user=agent, code=totp.at(time.time() + offset))


@pytest.mark.django_db
@pytest.mark.parametrize("offset", [-120, 120])
def test_a_code_further_away_is_refused(agent, offset):
    totp = give_confirmed_totp(agent)

    with pytest.raises(InvalidTotpCode):
        verify_totp_code(user=agent, code=totp.at(time.time() + offset))


@pytest.mark.django_db
def test_a_totp_code_cannot_be_used_twice(agent):
    totp = give_confirmed_totp(agent)
    code = totp.now()
    verify_totp_code(user=agent, code=code)

    with pytest.raises(InvalidTotpCode):
        verify_totp_code(user=agent, code=code)


@pytest.mark.django_db
def test_an_older_code_is_refused_after_a_newer_one_was_used(agent):
    totp = give_confirmed_totp(agent)
    verify_totp_code(user=agent, code=totp.at(time.time() + 30))

    with pytest.raises(InvalidTotpCode):
        verify_totp_code(user=agent, code=totp.now())


@pytest.mark.django_db
def test_codes_with_spaces_are_accepted(agent):
    totp = give_confirmed_totp(agent)
    code = totp.now()

    verify_totp_code(user=agent, code=f" {code[:3]} {code[3:]} ")


@pytest.mark.django_db
def test_a_wrong_code_is_refused_and_audited(agent):
    give_confirmed_totp(agent)

    with pytest.raises(InvalidTotpCode):
        verify_totp_code(user=agent, code="abcdef")

    assert AuditEvent.objects.filter(action="accounts.totp_failed").count() == 1


@pytest.mark.django_db
def test_repeated_wrong_codes_lock_two_factor_sign_in(agent, settings):
    settings.SIGN_IN_MAX_FAILURES = 3
    totp = give_confirmed_totp(agent)
    for _ in range(2):
        with pytest.raises(InvalidTotpCode):
            verify_totp_code(user=agent, code="abcdef")

    with pytest.raises(SignInLocked):
        verify_totp_code(user=agent, code="abcdef")
    with pytest.raises(SignInLocked):
        verify_totp_code(user=agent, code=totp.now())
    assert AuditEvent.objects.filter(action="accounts.sign_in_locked").count() == 1


@pytest.mark.django_db
def test_a_user_without_a_confirmed_secret_cannot_verify(agent):
    with pytest.raises(Conflict):
        verify_totp_code(user=agent, code="123456")
