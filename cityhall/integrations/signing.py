"""Signing secrets: how they are made, kept at rest, and used to sign and check a body.

The signature header is `CityHall-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`, the HMAC
keyed with the subscription's secret over `"<t>.<body>"`. Signing the timestamp with the body
lets a receiver refuse old replays (see docs/webhooks.md).

Secrets are stored encrypted with Fernet under keys derived from `SECRET_KEY`, and readable with
keys derived from `SECRET_KEY_FALLBACKS`, so rotating Django's key follows Django's own recipe:
move the old key to the fallbacks, run `manage.py rotate_webhook_secrets`, then drop it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

SIGNATURE_VERSION = "v1"
#: A receiver should refuse a signature older than this (the documented default tolerance).
DEFAULT_TOLERANCE_SECONDS = 300
SECRET_PREFIX = "whsec_"  # noqa: S105  # a label that makes leaked secrets easy to spot
_KEY_CONTEXT = b"cityhall.integrations.webhook-secret"


def new_secret() -> str:
    """A fresh signing secret, as shown to the subscriber once."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _fernet_for(django_key: str) -> Fernet:
    # A separate derivation keeps this use of SECRET_KEY independent of Django's own signing.
    digest = hmac.new(django_key.encode(), _KEY_CONTEXT, hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keyring() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet_for(key) for key in keys])


def encrypt_secret(secret: str) -> str:
    """The secret encrypted under the current SECRET_KEY, for storage."""
    return _keyring().encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str:
    """The stored secret in clear, read with SECRET_KEY or any of its fallbacks."""
    return _keyring().decrypt(token.encode()).decode()


def reencrypt_secret(token: str) -> str:
    """The stored secret encrypted again under the current SECRET_KEY (for key rotation)."""
    return _keyring().rotate(token.encode()).decode()


def signature_header(*, secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The `CityHall-Signature` value for `body` sent at `timestamp` (now by default)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},{SIGNATURE_VERSION}={digest}"


def is_valid_signature(
    *,
    secret: str,
    body: bytes,
    header: str,
    now: int | None = None,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """Whether `header` signs `body` with `secret` no more than `tolerance` seconds ago.

    This is the check docs/webhooks.md gives receivers; any `v1` entry may match, so that a
    header can carry several signatures.
    """
    parts = [item.split("=", 1) for item in header.split(",") if "=" in item]
    timestamps = [value for name, value in parts if name == "t"]
    if len(timestamps) != 1 or not timestamps[0].isdigit():
        return False
    timestamp = int(timestamps[0])
    now = int(time.time()) if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature_header(secret=secret, body=body, timestamp=timestamp).split("=", 2)[2]
    return any(
        hmac.compare_digest(expected, value) for name, value in parts if name == SIGNATURE_VERSION
    )
