"""The keys that encrypt personal data at rest and make it searchable through keyed hashes.

Keys never live in the database. Two settings, read from the environment (see .env.example):

- `FIELD_ENCRYPTION_KEYS`: comma-separated `id:base64key` entries, each key 32 random bytes
  (AES-256). The first entry encrypts new values; the others only decrypt, while
  `manage.py rotate_encryption_keys` moves their values to the first.
- `FIELD_HASH_KEYS`: the same form, for the HMAC-SHA-256 digests that let an exact value (a
  contact email) be found without decrypting every row. The first entry hashes new values;
  lookups try every entry, so a rotation never hides a row.

Outside production, when a setting is empty, one key derived from SECRET_KEY stands in for it,
so that development and tests need no setup. Production refuses to start without both
(config/settings.py). `generate_field_key()` makes a new key (`manage.py
rotate_encryption_keys --generate-key` prints one).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

KEY_BYTES = 32
#: A key id is short and cannot contain the separators of the settings or the stored values.
KEY_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,16}")
DEVELOPMENT_KEY_ID = "dev"


@dataclass(frozen=True)
class FieldKeyring:
    """The keys in force: `active_id` encrypts (and `active_hash_id` hashes); all decrypt."""

    active_id: str
    ciphers: dict[str, AESGCM]
    active_hash_id: str
    hash_keys: dict[str, bytes]

    def cipher(self, key_id: str) -> AESGCM | None:
        return self.ciphers.get(key_id)


def generate_field_key() -> str:
    """A new random 32-byte key, base64-encoded, ready for `id:key` in the settings."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def parse_keys(setting: str, text: str) -> dict[str, bytes]:
    """Read `id:base64key,...` into an ordered {id: key}; the first entry is the active one.

    Raises ImproperlyConfigured naming `setting` for a malformed entry, a key that is not 32
    bytes, or an id given twice.
    """
    keys: dict[str, bytes] = {}
    for position, entry in enumerate((item.strip() for item in text.split(",")), start=1):
        if not entry:
            continue
        key_id, separator, encoded = entry.partition(":")
        if not separator or not KEY_ID_PATTERN.fullmatch(key_id):
            raise ImproperlyConfigured(
                f"{setting}: entry {position} must be id:base64key, the id made of letters, "
                "digits, - or _ (at most 16)."
            )
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError) as error:
            raise ImproperlyConfigured(f"{setting}: key {key_id!r} is not base64.") from error
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"{setting}: key {key_id!r} must be {KEY_BYTES} bytes, not {len(key)}."
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"{setting}: key id {key_id!r} is given twice.")
        keys[key_id] = key
    return keys


def _development_key(secret_key: str, purpose: str) -> dict[str, bytes]:
    derived = hmac.new(secret_key.encode(), f"cityhall.{purpose}".encode(), hashlib.sha256)
    return {DEVELOPMENT_KEY_ID: derived.digest()}


@lru_cache(maxsize=4)
def _keyring(
    encryption_keys: str, hash_keys: str, secret_key: str, is_production: bool
) -> FieldKeyring:
    keys = parse_keys("FIELD_ENCRYPTION_KEYS", encryption_keys)
    hashes = parse_keys("FIELD_HASH_KEYS", hash_keys)
    for name, parsed in (("FIELD_ENCRYPTION_KEYS", keys), ("FIELD_HASH_KEYS", hashes)):
        if not parsed and is_production:
            raise ImproperlyConfigured(f"{name} is required in production.")
    keys = keys or _development_key(secret_key, "field-encryption")
    hashes = hashes or _development_key(secret_key, "field-hash")
    return FieldKeyring(
        active_id=next(iter(keys)),
        ciphers={key_id: AESGCM(key) for key_id, key in keys.items()},
        active_hash_id=next(iter(hashes)),
        hash_keys=hashes,
    )


_KEY_SETTINGS = frozenset(
    {"FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEYS", "SECRET_KEY", "IS_PRODUCTION"}
)
_current: list[FieldKeyring] = []


def field_keyring() -> FieldKeyring:
    """The keyring the current settings describe (parsed once per distinct settings)."""
    # Held here rather than looked up in the settings at each value: pages decrypt dozens.
    if not _current:
        _current.append(
            _keyring(
                getattr(settings, "FIELD_ENCRYPTION_KEYS", ""),
                getattr(settings, "FIELD_HASH_KEYS", ""),
                settings.SECRET_KEY,
                getattr(settings, "IS_PRODUCTION", False),
            )
        )
    return _current[0]


@receiver(setting_changed)
def _forget_keyring(*, setting: str, **kwargs: Any) -> None:
    """`override_settings` of a key setting (in tests) takes effect at once."""
    if setting in _KEY_SETTINGS:
        _current.clear()


def keyed_digest(text: str, *, key_id: str | None = None) -> str:
    """`<key id>:<HMAC-SHA-256 hex>` of `text` under the active hash key (or `key_id`'s).

    Callers normalise `text` first (a lowercased email, say); "" stays "" so that blank
    values need no digest.
    """
    if not text:
        return ""
    keyring = field_keyring()
    chosen = key_id or keyring.active_hash_id
    digest = hmac.new(keyring.hash_keys[chosen], text.encode(), hashlib.sha256).hexdigest()
    return f"{chosen}:{digest}"


def keyed_digests(text: str) -> list[str]:
    """The digests of `text` under every hash key, to look a value up during a rotation."""
    return [keyed_digest(text, key_id=key_id) for key_id in field_keyring().hash_keys]


@checks.register(checks.Tags.security)
def check_field_keys(**kwargs: Any) -> list[checks.CheckMessage]:
    """Fails `manage.py check` (and so `migrate` and the servers' checks) on unusable keys."""
    try:
        field_keyring()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="core.E101")]
    return []
