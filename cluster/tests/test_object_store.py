"""The private object store answers signed S3 requests only, on loopback only, and keeps its
objects and its identity across a crash."""

from __future__ import annotations

import shutil
import subprocess
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

from cityhall.core.testing import require_or_skip
from cluster.object_store import object_store

pytestmark = pytest.mark.cluster


def _anonymous_get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback test URL)
            return response.status
    except urllib.error.HTTPError as refusal:
        with refusal:  # holds the connection until closed
            return refusal.code


def test_an_unsigned_request_is_refused(object_store_server):
    store = object_store_server
    with store.client() as s3:
        s3.put_object(Bucket=store.bucket, Key="unsigned/a.txt", Body=b"personal")

    assert _anonymous_get(f"{store.endpoint_url}/{store.bucket}/unsigned/a.txt") == 403
    assert _anonymous_get(f"{store.endpoint_url}/{store.bucket}/?list-type=2") == 403


def test_a_wrong_secret_is_refused(object_store_server):
    store = object_store_server
    impostor = object_store(store.service.directory, ports=store.ports)
    impostor.secret_key = "not-the-secret"

    with impostor.client() as s3, pytest.raises(ClientError) as refusal:
        s3.get_object(Bucket=store.bucket, Key="unsigned/a.txt")

    assert refusal.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_the_filer_does_not_serve_objects_around_the_gateway(object_store_server):
    store = object_store_server
    with store.client() as s3:
        s3.put_object(Bucket=store.bucket, Key="around/a.txt", Body=b"personal")

    status = _anonymous_get(
        f"http://127.0.0.1:{store.ports.filer}/buckets/{store.bucket}/around/a.txt"
    )

    assert status == 404


def test_every_port_of_the_store_listens_on_loopback_only(object_store_server):
    require_or_skip(shutil.which("ss") is not None, "the ss command (iproute2) is not installed")
    pid = object_store_server.service.pid()

    listening = subprocess.run(
        ["ss", "-ltnpH"],  # noqa: S607 (a system tool, found on PATH)
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    addresses = {line.split()[3] for line in listening if f"pid={pid}," in line}

    assert addresses == {f"127.0.0.1:{port}" for port in object_store_server.ports.all()}


def test_a_killed_store_comes_back_with_its_objects(object_store_server):
    store = object_store_server
    with store.client() as s3:
        s3.put_object(Bucket=store.bucket, Key="crash/a.txt", Body=b"kept")

    store.kill()
    store.start()

    with store.client() as s3:
        assert s3.get_object(Bucket=store.bucket, Key="crash/a.txt")["Body"].read() == b"kept"


def test_the_store_keeps_its_identity_across_restarts(object_store_server):
    again = object_store(object_store_server.service.directory, ports=object_store_server.ports)

    assert again.media_storage_url == object_store_server.media_storage_url


def test_the_secret_is_kept_from_other_accounts_and_off_the_command_line(object_store_server):
    store = object_store_server
    identities = store.service.directory / "s3-identities.json"

    assert identities.stat().st_mode & 0o077 == 0
    assert not any(store.secret_key in argument for argument in store.service.argv)
