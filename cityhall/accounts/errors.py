"""Errors of the accounts domain (subclasses of cityhall.core.errors).

* InvalidInput
  · SignInFailed          email or password wrong, or no such account (one neutral message)
  · InvalidLink           a verification, sign-in or reset link is wrong, used or expired
  · InvalidTotpCode       a two-factor code is wrong, out of its window or already used
  · InvalidApiKey         an API key is malformed, unknown or revoked
  · InvalidAccessToken    a personal access token is malformed, unknown, revoked or expired
* RateLimited
  · SignInLocked          too many failures for this address or network; carries retry_after
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cityhall.core.errors import InvalidInput, RateLimited


class SignInFailed(InvalidInput):
    code = "sign_in_failed"
    default_message = _("The email address or password is not right.")


class InvalidLink(InvalidInput):
    code = "invalid_link"
    default_message = _("This link is not valid any more. It may have expired or been used.")


class InvalidTotpCode(InvalidInput):
    code = "invalid_code"
    default_message = _("This code is not right. Enter the current code from your app.")


class InvalidApiKey(InvalidInput):
    code = "invalid_api_key"
    default_message = _("The API key is not valid.")


class InvalidAccessToken(InvalidInput):
    code = "invalid_access_token"
    default_message = _("The access token is not valid.")


class SignInLocked(RateLimited):
    code = "sign_in_locked"
    default_message = _(
        "Too many attempts to sign in. For your security, wait a few minutes and try again."
    )
