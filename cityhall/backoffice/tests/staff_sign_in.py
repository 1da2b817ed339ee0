"""Helpers for back-office tests: a staff session that passed two-factor sign-in."""

from __future__ import annotations

from cityhall.accounts.tests.factories import DEFAULT_PASSWORD
from cityhall.accounts.tests.fixtures import give_confirmed_totp
from cityhall.backoffice.access import VERIFIED_SESSION_KEY


def sign_in_with_two_factor(client, user) -> None:
    """Sign `user` in on the test client with the two-factor flag set, as the TOTP step does."""
    client.force_login(user)
    session = client.session
    session[VERIFIED_SESSION_KEY] = str(user.public_id)
    session.save()


def sign_in_in_browser(page, user, start: str = "/en/staff/requests/") -> None:
    """Sign `user` in through the real pages: password, then a code from their authenticator.

    Opens `start` first (the work queue unless told), so the browser ends there once signed in.
    """
    totp = give_confirmed_totp(user)
    page.goto(start)
    page.wait_for_url("**/en/staff/sign-in/**")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/en/staff/sign-in/code/**")
    page.get_by_label("Code from your authenticator app").fill(totp.now())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{start}")
