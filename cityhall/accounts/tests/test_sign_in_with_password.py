import pytest

from cityhall.accounts.errors import SignInFailed, SignInLocked
from cityhall.accounts.services import sign_in_with_password
from cityhall.accounts.sign_in_limits import ACCOUNT_SLOW_SECONDS
from cityhall.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from cityhall.core.models import AuditEvent

IP = "203.0.113.7"


def _fail(email, ip=IP):
    with pytest.raises((SignInFailed, SignInLocked)) as caught:
        sign_in_with_password(email=email, password="wrong password", ip_address=ip)
    return caught.value


@pytest.mark.django_db
def test_the_right_password_signs_in_and_is_audited(citizen):
    user = sign_in_with_password(
        email="  CAMILLE.citizen@example.org", password=DEFAULT_PASSWORD, ip_address=IP
    )

    assert user == citizen
    assert user.last_login is not None
    event = AuditEvent.objects.get(action="accounts.signed_in")
    assert (event.actor, event.ip_address, event.data) == (citizen, IP, {"method": "password"})


@pytest.mark.django_db
def test_a_wrong_password_fails_and_is_audited(citizen):
    error = _fail(citizen.email)

    assert isinstance(error, SignInFailed)
    event = AuditEvent.objects.get(action="accounts.sign_in_failed")
    assert event.target_id == str(citizen.public_id)
    assert event.ip_address == IP


@pytest.mark.django_db
def test_unknown_email_gets_the_same_answer_as_a_known_one(citizen):
    known = _fail(citizen.email)
    unknown = _fail("nobody@example.org")

    assert type(known) is type(unknown) is SignInFailed
    assert known.message == unknown.message
    assert known.code == unknown.code


@pytest.mark.django_db
def test_an_inactive_account_cannot_sign_in_even_with_the_right_password():
    user = UserFactory(is_active=False)

    with pytest.raises(SignInFailed):
        sign_in_with_password(email=user.email, password=DEFAULT_PASSWORD, ip_address=IP)


@pytest.mark.django_db
def test_an_account_whose_address_is_unconfirmed_has_no_password_to_sign_in_with():
    user = UserFactory(email_verified_at=None)

    with pytest.raises(SignInFailed):
        sign_in_with_password(email=user.email, password=DEFAULT_PASSWORD, ip_address=IP)


@pytest.mark.django_db
def test_tenth_failure_from_one_address_locks_it_out_without_revealing_the_account(
    citizen, settings, sign_in_pauses
):
    settings.SIGN_IN_MAX_FAILURES = 10

    known = [_fail(citizen.email) for _ in range(10)]
    unknown = [_fail("nobody@example.org") for _ in range(10)]

    assert all(isinstance(error, SignInFailed) for error in known[:9] + unknown[:9])
    assert isinstance(known[9], SignInLocked)
    assert isinstance(unknown[9], SignInLocked)
    assert known[9].message == unknown[9].message
    assert known[9].retry_after == unknown[9].retry_after == settings.SIGN_IN_LOCKOUT_SECONDS
    assert AuditEvent.objects.filter(action="accounts.sign_in_locked").count() == 2


@pytest.mark.django_db
def test_a_locked_out_address_is_refused_even_with_the_right_password(citizen, settings):
    settings.SIGN_IN_MAX_FAILURES = 3
    for _ in range(3):
        _fail(citizen.email)

    with pytest.raises(SignInLocked) as caught:
        sign_in_with_password(email=citizen.email, password=DEFAULT_PASSWORD, ip_address=IP)

    assert 0 < caught.value.retry_after <= settings.SIGN_IN_LOCKOUT_SECONDS + 1


@pytest.mark.django_db
def test_the_owner_signs_in_from_elsewhere_while_a_guesser_is_locked_out(citizen, settings):
    settings.SIGN_IN_MAX_FAILURES = 3
    for _ in range(5):
        _fail(citizen.email)

    user = sign_in_with_password(
        email=citizen.email, password=DEFAULT_PASSWORD, ip_address="192.0.2.99"
    )

    assert user == citizen


@pytest.mark.django_db
def test_failures_for_unknown_emails_from_one_address_lock_no_account(
    agent, settings, sign_in_pauses
):
    settings.SIGN_IN_MAX_FAILURES = 5
    errors = [_fail(f"unknown{n}@example.org") for n in range(39)]

    user = sign_in_with_password(
        email=agent.email, password=DEFAULT_PASSWORD, ip_address="192.0.2.8"
    )

    assert user == agent
    assert isinstance(errors[-1], SignInLocked)


@pytest.mark.django_db
def test_a_guess_spread_over_many_addresses_slows_the_email_without_locking_it(citizen, settings):
    settings.SIGN_IN_MAX_FAILURES = 2
    sign_in_with_password(email=citizen.email, password=DEFAULT_PASSWORD, ip_address="192.0.2.1")
    for n in range(8):
        _fail(citizen.email, ip=f"198.51.100.{n}")

    with pytest.raises(SignInLocked) as slowed:
        sign_in_with_password(
            email=citizen.email, password=DEFAULT_PASSWORD, ip_address="192.0.2.2"
        )
    from_a_known_address = sign_in_with_password(
        email=citizen.email, password=DEFAULT_PASSWORD, ip_address="192.0.2.1"
    )

    assert 0 < slowed.value.retry_after <= ACCOUNT_SLOW_SECONDS + 1
    assert from_a_known_address == citizen


@pytest.mark.django_db
def test_one_network_address_is_locked_after_many_failures_across_accounts(citizen, settings):
    settings.SIGN_IN_MAX_FAILURES = 2
    for n in range(7):
        _fail(f"someone{n}@example.org")

    error = _fail("someone-else@example.org")

    assert isinstance(error, SignInLocked)
    sign_in_with_password(email=citizen.email, password=DEFAULT_PASSWORD, ip_address="192.0.2.1")


@pytest.mark.django_db
def test_a_successful_sign_in_forgets_earlier_failures_from_its_address(citizen, settings):
    settings.SIGN_IN_MAX_FAILURES = 3
    _fail(citizen.email)
    _fail(citizen.email)
    sign_in_with_password(email=citizen.email, password=DEFAULT_PASSWORD, ip_address=IP)

    errors = [_fail(citizen.email), _fail(citizen.email)]

    assert all(isinstance(error, SignInFailed) for error in errors)


@pytest.mark.django_db
def test_failures_past_half_the_limit_are_slowed_more_each_time(citizen, settings, sign_in_pauses):
    settings.SIGN_IN_MAX_FAILURES = 10

    for _ in range(10):
        _fail(citizen.email)

    assert sign_in_pauses == [0, 0, 0, 0, 0, 0.25, 0.5, 0.75, 1.0, 0]
