import pyotp
import pytest

from cityhall.accounts.errors import InvalidTotpCode, SignInLocked
from cityhall.accounts.services import confirm_totp_enrolment, start_totp_enrolment
from cityhall.accounts.tests.fixtures import give_confirmed_totp
from cityhall.core.errors import Conflict
from cityhall.core.models import AuditEvent


@pytest.mark.django_db
def test_enrolment_gives_a_secret_that_stays_the_same_until_confirmed(agent):
    first = start_totp_enrolment(user=agent)
    second = start_totp_enrolment(user=agent)

    agent.refresh_from_db()
    assert first == second == agent.totp_secret
    assert len(first) == 32
    assert agent.totp_confirmed_at is None
    assert AuditEvent.objects.filter(action="accounts.totp_enrolment_started").count() == 1


@pytest.mark.django_db
def test_a_first_good_code_confirms_the_secret(agent):
    secret = start_totp_enrolment(user=agent)
    agent.refresh_from_db()

    confirm_totp_enrolment(user=agent, code=pyotp.TOTP(secret).now())

    agent.refresh_from_db()
    assert agent.totp_confirmed_at is not None
    assert agent.totp_last_step is not None
    assert AuditEvent.objects.filter(action="accounts.totp_confirmed").exists()


@pytest.mark.django_db
def test_a_wrong_first_code_leaves_the_secret_unconfirmed(agent):
    start_totp_enrolment(user=agent)
    agent.refresh_from_db()

    with pytest.raises(InvalidTotpCode):
        confirm_totp_enrolment(user=agent, code="abcdef")

    agent.refresh_from_db()
    assert agent.totp_confirmed_at is None


@pytest.mark.django_db
def test_a_confirmed_secret_cannot_be_replaced_by_a_new_enrolment(agent):
    give_confirmed_totp(agent)

    with pytest.raises(Conflict):
        start_totp_enrolment(user=agent)
    with pytest.raises(Conflict):
        confirm_totp_enrolment(user=agent, code="123456")


@pytest.mark.django_db
def test_confirming_without_starting_is_a_conflict(agent):
    with pytest.raises(Conflict):
        confirm_totp_enrolment(user=agent, code="123456")


@pytest.mark.django_db
def test_too_many_wrong_first_codes_lock_the_enrolment(agent, settings):
    settings.SIGN_IN_MAX_FAILURES = 2
    start_totp_enrolment(user=agent)
    agent.refresh_from_db()

    with pytest.raises(InvalidTotpCode):
        confirm_totp_enrolment(user=agent, code="not-a-code")
    with pytest.raises(SignInLocked):
        confirm_totp_enrolment(user=agent, code="not-a-code")
    with pytest.raises(SignInLocked):
        confirm_totp_enrolment(user=agent, code=pyotp.TOTP(agent.totp_secret).now())
