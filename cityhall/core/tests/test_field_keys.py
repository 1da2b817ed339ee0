"""Field keys come from the settings, coexist by id, and production refuses to run without them."""

from __future__ import annotations

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from cityhall.core.field_keys import (
    check_field_keys,
    field_keyring,
    generate_field_key,
    keyed_digest,
    keyed_digests,
    parse_keys,
)
from cityhall.core.tests.test_settings_from_environment import PRODUCTION_ENV, _manage

KEY_A = base64.b64encode(b"a" * 32).decode()
KEY_B = base64.b64encode(b"b" * 32).decode()


def test_the_first_key_is_the_active_one_and_every_key_is_kept_by_id():
    keys = parse_keys("FIELD_ENCRYPTION_KEYS", f" new:{KEY_B} , old:{KEY_A} ")

    assert list(keys) == ["new", "old"]
    assert keys["old"] == b"a" * 32


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("nokey", "must be id:base64key"),
        (f"bad id:{KEY_A}", "must be id:base64key"),
        ("k1:not-base64!", "not base64"),
        ("k1:" + base64.b64encode(b"short").decode(), "must be 32 bytes"),
        (f"k1:{KEY_A},k1:{KEY_B}", "given twice"),
    ],
)
def test_malformed_keys_are_refused_with_the_settings_name(text, complaint):
    with pytest.raises(ImproperlyConfigured, match=f"FIELD_ENCRYPTION_KEYS.*{complaint}"):
        parse_keys("FIELD_ENCRYPTION_KEYS", text)


def test_generated_keys_are_accepted():
    assert len(parse_keys("FIELD_HASH_KEYS", f"h1:{generate_field_key()}")["h1"]) == 32


def test_development_derives_keys_from_the_secret_key_when_none_are_set():
    with override_settings(FIELD_ENCRYPTION_KEYS="", FIELD_HASH_KEYS=""):
        keyring = field_keyring()

    assert keyring.active_id == "dev"
    assert keyring.active_hash_id == "dev"


def test_production_settings_without_keys_fail_the_system_check():
    with override_settings(IS_PRODUCTION=True, FIELD_ENCRYPTION_KEYS="", FIELD_HASH_KEYS=""):
        errors = check_field_keys()

    assert [error.id for error in errors] == ["core.E101"]
    assert "FIELD_ENCRYPTION_KEYS is required in production" in errors[0].msg


def test_production_refuses_to_start_with_a_malformed_key():
    env = {**PRODUCTION_ENV, "FIELD_ENCRYPTION_KEYS": "k1:too-short"}

    result = _manage(["check"], env)

    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


def test_digests_are_keyed_and_name_their_key():
    with override_settings(FIELD_HASH_KEYS=f"h2:{KEY_B},h1:{KEY_A}"):
        digest = keyed_digest("ana@example.org")
        every = keyed_digests("ana@example.org")

    with override_settings(FIELD_HASH_KEYS=f"h2:{KEY_A}"):
        other_key = keyed_digest("ana@example.org")

    assert digest.startswith("h2:")
    assert every[0] == digest
    assert every[1].startswith("h1:")
    assert other_key.partition(":")[2] != digest.partition(":")[2]
    assert keyed_digest("") == ""
