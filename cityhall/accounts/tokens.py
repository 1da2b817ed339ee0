"""Signed tokens for the links the accounts domain emails.

* Email verification: names the user and the address; valid for EMAIL_VERIFICATION_MAX_AGE.
* Sign-in link: names the user and a digest of their sign-in state (password hash and
  last_login). Signing in by any means changes last_login, so a link works once.
* Password reset uses Django's PasswordResetTokenGenerator (PASSWORD_RESET_TIMEOUT).

Tokens are made when the email is sent (in the task), so they never sit in the task queue.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from cityhall.accounts.models import User

EMAIL_VERIFICATION_MAX_AGE = 7 * 24 * 3600
_VERIFY_SALT = "cityhall.accounts.verify_email"
_SIGN_IN_SALT = "cityhall.accounts.sign_in_link"

password_reset_tokens = PasswordResetTokenGenerator()


def make_email_verification_token(user: User) -> str:
    """A URL-safe token proving that whoever holds it received mail at `user.email`."""
    return signing.dumps({"user": str(user.public_id), "email": user.email}, salt=_VERIFY_SALT)


def read_email_verification_token(token: str) -> tuple[str, str] | None:
    """(user public id, email) from a valid token, or None when it is forged or expired."""
    try:
        payload = signing.loads(token, salt=_VERIFY_SALT, max_age=EMAIL_VERIFICATION_MAX_AGE)
    except signing.BadSignature:
        return None
    return str(payload["user"]), str(payload["email"])


def _sign_in_state(user: User) -> str:
    last_login = "" if user.last_login is None else user.last_login.isoformat()
    value = f"{user.pk}|{user.password}|{last_login}|{user.email}|{user.is_active}"
    return salted_hmac(_SIGN_IN_SALT, value, algorithm="sha256").hexdigest()[:32]


def make_sign_in_token(user: User) -> str:
    """A token that signs `user` in once, until SIGN_IN_LINK_MAX_AGE seconds have passed."""
    return signing.dumps(
        {"user": str(user.public_id), "state": _sign_in_state(user)}, salt=_SIGN_IN_SALT
    )


def read_sign_in_token(token: str) -> tuple[str, str] | None:
    """(user public id, state digest) from an unexpired token, or None."""
    try:
        payload = signing.loads(token, salt=_SIGN_IN_SALT, max_age=settings.SIGN_IN_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    return str(payload["user"]), str(payload["state"])


def sign_in_state_matches(user: User, state: str) -> bool:
    """Whether `state` (from a token) still describes `user`: false once the link was used."""
    return constant_time_compare(_sign_in_state(user), state)
