"""The city's VAPID key pair (RFC 8292), which identifies it to browsers' push services.

Keys are base64url without padding, as browsers and `manage.py generate_vapid_keys` use them:
the private key is the raw 32-byte P-256 scalar, the public key the 65-byte uncompressed point
(the `applicationServerKey` a page subscribes with).

Settings: VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY, VAPID_SUBJECT (a mailto: or https: contact the push
services may use). Outside production, when no keys are set, a pair derived from SECRET_KEY is
used, so that a development server offers web push without any setup and keeps the same pair
across restarts. In production, without keys, web push is off.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from email.utils import parseaddr

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

#: The order of the P-256 group: a private scalar lies in [1, order - 1].
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


@dataclass(frozen=True)
class VapidKeys:
    private_key: str
    public_key: str


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding; raises ValueError for anything else."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as error:
        raise ValueError("not base64url") from error


def _keys_of(private_key: ec.EllipticCurvePrivateKey) -> VapidKeys:
    scalar = private_key.private_numbers().private_value.to_bytes(32, "big")
    point = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return VapidKeys(private_key=b64url(scalar), public_key=b64url(point))


def generate_vapid_keys() -> VapidKeys:
    """A new random key pair."""
    return _keys_of(ec.generate_private_key(ec.SECP256R1()))


def _development_keys() -> VapidKeys:
    digest = hmac.new(settings.SECRET_KEY.encode(), b"cityhall.vapid", hashlib.sha256).digest()
    scalar = int.from_bytes(digest, "big") % (P256_ORDER - 1) + 1
    return _keys_of(ec.derive_private_key(scalar, ec.SECP256R1()))


def configured_vapid_keys() -> VapidKeys | None:
    """The key pair web push signs with, or None when web push is off (production without keys)."""
    private_key = getattr(settings, "VAPID_PRIVATE_KEY", "")
    public_key = getattr(settings, "VAPID_PUBLIC_KEY", "")
    if private_key and public_key:
        return VapidKeys(private_key=private_key, public_key=public_key)
    if getattr(settings, "IS_PRODUCTION", False):
        return None
    return _development_keys()


def vapid_subject() -> str:
    """Who push services can contact about this sender: VAPID_SUBJECT, else the sender's mailbox."""
    subject = getattr(settings, "VAPID_SUBJECT", "")
    if subject:
        return str(subject)
    return f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or 'no-reply@localhost'}"
