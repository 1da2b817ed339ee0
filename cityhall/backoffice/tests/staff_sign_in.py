"""Helpers for back-office tests: a staff session that passed two-factor sign-in."""

from __future__ import annotations

from cityhall.backoffice.access import VERIFIED_SESSION_KEY


def sign_in_with_two_factor(client, user) -> None:
    """Sign `user` in on the test client with the two-factor flag set, as the TOTP step does."""
    client.force_login(user)
    session = client.session
    session[VERIFIED_SESSION_KEY] = str(user.public_id)
    session.save()
