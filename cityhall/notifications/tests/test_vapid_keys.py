import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command

from cityhall.notifications.vapid import b64url_decode, configured_vapid_keys


def _public_point_of(private_key_b64url):
    scalar = int.from_bytes(b64url_decode(private_key_b64url), "big")
    private_key = ec.derive_private_key(scalar, ec.SECP256R1())
    return private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def test_the_command_prints_a_matching_key_pair_as_env_lines(capsys):
    call_command("generate_vapid_keys")

    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    assert len(b64url_decode(lines["VAPID_PRIVATE_KEY"])) == 32
    assert b64url_decode(lines["VAPID_PUBLIC_KEY"]) == _public_point_of(lines["VAPID_PRIVATE_KEY"])


def test_two_runs_of_the_command_give_different_pairs(capsys):
    call_command("generate_vapid_keys")
    call_command("generate_vapid_keys")

    assert len(set(capsys.readouterr().out.split())) == 4


def test_configured_keys_come_from_the_settings(settings):
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = "private", "public"

    keys = configured_vapid_keys()

    assert keys is not None
    assert (keys.private_key, keys.public_key) == ("private", "public")


def test_development_without_keys_gets_a_stable_pair_derived_from_the_secret_key(settings):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    settings.IS_PRODUCTION = False

    first, again = configured_vapid_keys(), configured_vapid_keys()
    settings.SECRET_KEY = "another development secret key, long enough for the checks"
    other = configured_vapid_keys()

    assert first is not None
    assert other is not None
    assert first == again
    assert first != other
    assert b64url_decode(first.public_key) == _public_point_of(first.private_key)


@pytest.mark.parametrize("missing", ["VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY"])
def test_production_without_both_keys_has_no_web_push(settings, missing):
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = "private", "public"
    setattr(settings, missing, "")
    settings.IS_PRODUCTION = True

    assert configured_vapid_keys() is None
