"""The CityHall-Signature header and the encryption of stored secrets."""

from __future__ import annotations

import pytest
from cryptography.fernet import InvalidToken

from cityhall.integrations.signing import (
    decrypt_secret,
    encrypt_secret,
    is_valid_signature,
    signature_header,
)

SECRET = "whsec_signing-test"
BODY = b'{"id":"1","type":"service_request.created"}'
NOW = 1_800_000_000


def test_a_signature_names_the_time_and_verifies_for_the_same_secret_and_body():
    header = signature_header(secret=SECRET, body=BODY, timestamp=NOW)

    assert header.startswith(f"t={NOW},v1=")
    assert is_valid_signature(secret=SECRET, body=BODY, header=header, now=NOW + 10)


@pytest.mark.parametrize(
    ("secret", "body", "now"),
    [
        ("whsec_other", BODY, NOW),
        (SECRET, BODY.replace(b"created", b"assigned"), NOW),
        (SECRET, BODY, NOW + 301),
    ],
    ids=["another secret", "a changed body", "an old signature"],
)
def test_a_signature_is_refused_for(secret, body, now):
    header = signature_header(secret=SECRET, body=BODY, timestamp=NOW)

    assert not is_valid_signature(secret=secret, body=body, header=header, now=now)


def test_a_header_may_carry_several_signatures():
    good = signature_header(secret=SECRET, body=BODY, timestamp=NOW).split(",")[1]

    header = f"t={NOW},v1={'0' * 64},{good}"

    assert is_valid_signature(secret=SECRET, body=BODY, header=header, now=NOW)
    assert not is_valid_signature(secret=SECRET, body=BODY, header="v1=abc", now=NOW)


def test_a_stored_secret_is_encrypted_and_tied_to_the_secret_key(settings):
    stored = encrypt_secret(SECRET)

    assert SECRET not in stored
    assert decrypt_secret(stored) == SECRET
    settings.SECRET_KEY = "another-key-entirely-" * 3
    with pytest.raises(InvalidToken):
        decrypt_secret(stored)
