"""What API keys and personal access tokens share: `<prefix>.<secret>`, stored as a digest.

A slow password hash is not needed: the secret is 256 random bits, so its SHA-256 digest
cannot be reversed by guessing, and every API request can afford to check it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Model
from django.utils import timezone

#: last_used_at is written at most this often per credential, to keep the hot path read-only.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewCredential:
    """A freshly drawn credential: store `prefix` and `secret_hash`, show `value` once."""

    prefix: str
    secret_hash: str
    value: str


def draw_credential() -> NewCredential:
    """Draw a new random prefix and secret."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return NewCredential(prefix=prefix, secret_hash=digest(secret), value=f"{prefix}.{secret}")


def digest(secret: str) -> str:
    """The stored form of a secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def split_credential(raw: str) -> tuple[str, str] | None:
    """(prefix, secret) of a presented credential, or None when it is malformed."""
    prefix, _dot, secret = raw.strip().partition(".")
    if not (prefix and secret):
        return None
    return prefix, secret


def secret_matches(stored_hash: str | None, secret: str) -> bool:
    """Whether `secret` is the one whose digest is stored, in constant time.

    With no stored hash (an unknown prefix) the same work is done, so timing tells nothing.
    """
    presented = digest(secret)
    return stored_hash is not None and hmac.compare_digest(stored_hash, presented)


def touch_last_used(row: Model) -> None:
    """Record that the credential `row` (with a `last_used_at` field) was just used.

    Written at most once per LAST_USED_PRECISION, by a conditional update: many web processes
    may see the same stale value at once.
    """
    now = timezone.now()
    last_used_at = getattr(row, "last_used_at", None)
    if last_used_at is not None and now - last_used_at < LAST_USED_PRECISION:
        return
    type(row)._default_manager.filter(pk=row.pk).exclude(
        last_used_at__gte=now - LAST_USED_PRECISION
    ).update(last_used_at=now)
    row.last_used_at = now  # type: ignore[attr-defined]  # every credential model has it
