"""Test fixtures over the cluster's servers (registered as a pytest plugin by the root conftest).

`object_store_server` starts one private SeaweedFS per test session (per xdist worker) on
free ports under a temporary directory; `media_in_object_store` points the default storage
at it for one test, under a prefix of its own, so that tests never see each other's files.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from django.core.files.storage import storages
from storages.backends.s3 import S3Storage

from cityhall.core.testing import require_or_skip
from cluster.object_store import ObjectStore, ObjectStorePorts, installed_weed, object_store
from cluster.processes import ServiceFailed
from config.services import media_storage_settings


@pytest.fixture(scope="session")
def object_store_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ObjectStore]:
    """A running SeaweedFS S3 store, shared by the session; skipped (failed under CI=true)
    when the `weed` binary is missing or the store does not start."""
    require_or_skip(installed_weed().is_file(), f"SeaweedFS is not installed at {installed_weed()}")
    store = object_store(tmp_path_factory.mktemp("object-store"), ports=ObjectStorePorts.free())
    try:
        store.start()
    except ServiceFailed as failure:
        store.kill()
        require_or_skip(False, f"the object store did not start: {failure}")
    yield store
    store.stop()


@pytest.fixture
def media_in_object_store(object_store_server: ObjectStore, settings: Any) -> Iterator[str]:
    """Point the default storage at the session's object store for this test; yields the
    prefix (the storage's `location`) its files are written under."""
    prefix = f"test-{uuid4().hex}"
    storage = media_storage_settings(object_store_server.media_storage_url_under(prefix))
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    yield prefix
    # The storage's client keeps connections open in this thread: close them before the
    # storage is dropped, or they are reported as leaked sockets.
    used = storages["default"]
    if isinstance(used, S3Storage):
        used.connection.meta.client.close()
