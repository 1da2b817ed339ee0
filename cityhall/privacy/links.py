"""Signed tokens for the links the privacy domain emails: an export's download, a closure's
confirmation. Like the accounts domain's, they are made when the email is written (in the
task), so they never sit in the task queue.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

_EXPORT_SALT = "cityhall.privacy.export_download"
_CLOSURE_SALT = "cityhall.privacy.closure_confirmation"
#: A closure's confirmation link works for two days; asking again sends a new one.
CLOSURE_CONFIRMATION_MAX_AGE = 2 * 24 * 3600


def make_export_token(export_public_id: str) -> str:
    """A token naming an export; it stops working PRIVACY_EXPORT_DAYS after it was made."""
    return signing.dumps({"export": export_public_id}, salt=_EXPORT_SALT)


def read_export_token(token: str) -> str | None:
    """The export's public id from a valid, unexpired token; None otherwise."""
    max_age = settings.PRIVACY_EXPORT_DAYS * 24 * 3600
    try:
        return str(signing.loads(token, salt=_EXPORT_SALT, max_age=max_age)["export"])
    except (signing.BadSignature, KeyError, TypeError):
        return None


def make_closure_token(closure_public_id: str) -> str:
    """A token confirming one account closure, valid CLOSURE_CONFIRMATION_MAX_AGE seconds."""
    return signing.dumps({"closure": closure_public_id}, salt=_CLOSURE_SALT)


def read_closure_token(token: str) -> str | None:
    """The closure's public id from a valid, unexpired token; None otherwise."""
    try:
        payload = signing.loads(token, salt=_CLOSURE_SALT, max_age=CLOSURE_CONFIRMATION_MAX_AGE)
        return str(payload["closure"])
    except (signing.BadSignature, KeyError, TypeError):
        return None
