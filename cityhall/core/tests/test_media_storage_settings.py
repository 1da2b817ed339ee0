"""MEDIA_STORAGE_URL puts uploads in an S3 bucket; without it they stay in MEDIA_ROOT."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.services import MEDIA_URL_EXPIRY_SECONDS, media_storage_settings

ROOT = Path(__file__).resolve().parents[3]


def test_without_a_url_uploads_stay_on_the_local_disk():
    storage = media_storage_settings("")

    assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_an_s3_url_names_the_endpoint_bucket_and_percent_encoded_keys():
    storage = media_storage_settings(
        "s3://AKIA7:s%2Fcr%2Bt@127.0.0.1:58333/cityhall-media?region=ca-central-1&secure=false"
    )

    options = storage["OPTIONS"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (options["access_key"], options["secret_key"]) == ("AKIA7", "s/cr+t")
    assert options["endpoint_url"] == "http://127.0.0.1:58333"
    assert (options["bucket_name"], options["location"]) == ("cityhall-media", "")
    assert (options["region_name"], options["use_ssl"]) == ("ca-central-1", False)


def test_objects_are_private_signed_briefly_and_never_overwritten():
    options = media_storage_settings("s3://key:secret@objects.city.example/media")["OPTIONS"]

    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == MEDIA_URL_EXPIRY_SECONDS
    assert options["file_overwrite"] is False


def test_the_endpoint_is_https_unless_told_otherwise():
    options = media_storage_settings("s3://key:secret@objects.city.example/media")["OPTIONS"]

    assert options["endpoint_url"] == "https://objects.city.example"
    assert options["use_ssl"] is True
    assert options["addressing_style"] == "path"


def test_a_path_after_the_bucket_is_a_prefix_for_every_object():
    options = media_storage_settings(
        "s3://key:secret@objects.city.example/shared-bucket/cityhall/media/?expiry=300"
    )["OPTIONS"]

    assert (options["bucket_name"], options["location"]) == ("shared-bucket", "cityhall/media")
    assert options["querystring_expire"] == 300


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///srv/media", "unsupported scheme 'file'"),
        ("s3://objects.city.example/media", "no access key and secret"),
        ("s3://key@objects.city.example/media", "no access key and secret"),
        ("s3://key:secret@/media", "no host"),
        ("s3://key:secret@objects.city.example:99999/media", "bad port"),
        ("s3://key:secret@objects.city.example/", "'' is not a bucket name"),
        ("s3://key:secret@objects.city.example/Media_Files", "is not a bucket name"),
        ("s3://key:secret@objects.city.example/media?secure=no", "secure must be true or false"),
        ("s3://key:secret@objects.city.example/media?expiry=86400", "expiry must be 1 to 3600"),
        ("s3://key:secret@objects.city.example/media?expiry=soon", "expiry must be 1 to 3600"),
        ("s3://key:secret@objects.city.example/media?addressing=dns", "path or virtual"),
        ("s3://key:secret@objects.city.example/media?acl=public-read", "unknown parameter 'acl'"),
    ],
)
def test_a_bad_url_is_refused_naming_the_variable(url, message):
    with pytest.raises(ImproperlyConfigured, match=message) as refusal:
        media_storage_settings(url)

    assert str(refusal.value).startswith("MEDIA_STORAGE_URL: ")


def test_a_refusal_never_repeats_the_secret():
    with pytest.raises(ImproperlyConfigured) as refusal:
        media_storage_settings("s3://key:hunter2-secret@objects.city.example/Bad_Bucket")

    assert "hunter2-secret" not in str(refusal.value)
    assert "s3://…@objects.city.example/Bad_Bucket" in str(refusal.value)


def test_the_settings_take_the_storage_from_the_environment():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MEDIA_STORAGE_URL": "s3://key:secret@127.0.0.1:58333/cityhall-media?secure=false",
    }
    shown = "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])"

    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-c", shown],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.stdout.strip() == "storages.backends.s3.S3Storage", result.stderr
