"""Values encrypted at rest round-trip, carry their key id, and refuse to open when tampered
with, moved to another column, or under a key the settings no longer hold."""

from __future__ import annotations

import base64

import pytest
from django.test import override_settings

from cityhall.core.encrypted_fields import (
    FieldDecryptionError,
    UnknownFieldKeyError,
    decrypt_text,
    encrypt_text,
    stored_key_id,
)

KEY_OLD = base64.b64encode(b"o" * 32).decode()
KEY_NEW = base64.b64encode(b"n" * 32).decode()
CONTEXT = "servicerequests_servicerequest.contact_phone"


def test_a_value_round_trips_and_is_not_stored_as_plaintext():
    stored = encrypt_text("514 555-0199 é", context=CONTEXT)

    assert "514" not in stored
    assert decrypt_text(stored, context=CONTEXT) == "514 555-0199 é"


def test_each_value_gets_its_own_nonce():
    assert encrypt_text("same", context=CONTEXT) != encrypt_text("same", context=CONTEXT)


def test_blank_stays_blank():
    assert encrypt_text("", context=CONTEXT) == ""
    assert decrypt_text("", context=CONTEXT) == ""


def test_a_tampered_value_is_refused():
    stored = encrypt_text("call me after five", context=CONTEXT)
    head, _, sealed = stored.rpartition(":")
    raw = bytearray(base64.b64decode(sealed))
    raw[-1] ^= 1

    with pytest.raises(FieldDecryptionError, match="fails authentication"):
        decrypt_text(f"{head}:{base64.b64encode(bytes(raw)).decode()}", context=CONTEXT)


def test_a_value_moved_to_another_column_is_refused():
    stored = encrypt_text("ana@example.org", context=CONTEXT)

    with pytest.raises(FieldDecryptionError, match="copied from another column"):
        decrypt_text(stored, context="servicerequests_servicerequest.description")


def test_a_plaintext_value_is_refused():
    with pytest.raises(FieldDecryptionError, match="not encrypted"):
        decrypt_text("plain words", context=CONTEXT)


def test_old_keys_still_decrypt_while_the_first_key_encrypts():
    with override_settings(FIELD_ENCRYPTION_KEYS=f"old:{KEY_OLD}"):
        old = encrypt_text("kept", context=CONTEXT)

    with override_settings(FIELD_ENCRYPTION_KEYS=f"new:{KEY_NEW},old:{KEY_OLD}"):
        assert decrypt_text(old, context=CONTEXT) == "kept"
        assert stored_key_id(encrypt_text("fresh", context=CONTEXT)) == "new"
    assert stored_key_id(old) == "old"


def test_an_unknown_key_id_names_the_key_and_the_way_out():
    with override_settings(FIELD_ENCRYPTION_KEYS=f"old:{KEY_OLD}"):
        old = encrypt_text("kept", context=CONTEXT)

    with (
        override_settings(FIELD_ENCRYPTION_KEYS=f"new:{KEY_NEW}"),
        pytest.raises(UnknownFieldKeyError, match=r"key 'old'.*rotate_encryption_keys"),
    ):
        decrypt_text(old, context=CONTEXT)
