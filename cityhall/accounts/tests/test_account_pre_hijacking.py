"""Someone who signs up with another person's address never keeps a way into that account."""

from __future__ import annotations

import pytest
from django.test import Client

from cityhall.accounts.errors import SignInFailed
from cityhall.accounts.models import User
from cityhall.accounts.services import request_sign_in_link, sign_in_with_password
from cityhall.accounts.tests.fixtures import link_in_last_email, relative

VICTIM = "victim@example.org"
ATTACKER_PASSWORD = "attacker-knows-this-42"
OWN_PASSWORD = "maple-syrup-canoe-42"
SIGN_UP = "/en/account/sign-up/"


def _sign_up(client: Client, password: str) -> None:
    client.post(
        SIGN_UP,
        {"full_name": "", "email": VICTIM, "password": password, "preferred_language": "en"},
    )


def _password_works(password: str) -> bool:
    try:
        sign_in_with_password(email=VICTIM, password=password, ip_address=None)
    except SignInFailed:
        return False
    return True


def _signed_in(client: Client) -> bool:
    return client.get("/en/account/").status_code == 200


@pytest.mark.django_db
def test_the_attackers_password_fails_once_the_owner_signs_in_by_emailed_link(
    django_capture_on_commit_callbacks,
):
    attacker, victim = Client(), Client()
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(attacker, ATTACKER_PASSWORD)
        request_sign_in_link(email=VICTIM, ip_address=None)

    with django_capture_on_commit_callbacks(execute=True):
        victim.post(relative(link_in_last_email("/sign-in/link/")))

    assert _signed_in(victim)
    assert not _password_works(ATTACKER_PASSWORD)
    assert not _signed_in(attacker)


@pytest.mark.django_db
def test_the_attackers_password_fails_once_the_owner_confirms_the_address_elsewhere(
    django_capture_on_commit_callbacks,
):
    attacker, victim = Client(), Client()
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(attacker, ATTACKER_PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):
        victim.post(relative(link_in_last_email("/account/verify/")))

    assert User.objects.get(email=VICTIM).has_verified_email
    assert not _password_works(ATTACKER_PASSWORD)
    assert not _signed_in(attacker)


@pytest.mark.django_db
def test_the_password_chosen_at_sign_up_is_kept_when_confirmed_in_the_same_browser(
    django_capture_on_commit_callbacks,
):
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(browser, OWN_PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):
        browser.post(relative(link_in_last_email("/account/verify/")))

    assert _signed_in(browser)
    assert _password_works(OWN_PASSWORD)


@pytest.mark.django_db
def test_confirming_the_address_ends_every_other_session_of_the_account(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(Client(), ATTACKER_PASSWORD)
    earlier = Client()
    earlier.force_login(User.objects.get(email=VICTIM))

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(relative(link_in_last_email("/account/verify/")))

    assert not _signed_in(earlier)
