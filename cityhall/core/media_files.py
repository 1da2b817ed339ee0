"""Listing what the media storage holds under a folder, on local disk or in an S3 bucket.

Django's Storage API lists one folder at a time and asks for each file's size and time
separately: on S3 that is two requests per object. `stored_files` reads names, sizes and
times in one paginated listing there (S3 has no folders, only key prefixes) and walks the
folders on other storages.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.core.files.storage import Storage, storages
from storages.backends.s3 import S3Storage


@dataclass(frozen=True)
class StoredFile:
    """A file in the media storage: its name (as `default_storage` knows it), size and the
    time it was last written."""

    name: str
    size: int
    modified_at: datetime


def stored_files(folder: str) -> Iterator[StoredFile]:
    """Every file under `folder` in the default storage, at any depth, in no set order.

    A file deleted while the listing runs (by another process) is left out.
    """
    storage = storages["default"]
    if isinstance(storage, S3Storage):
        yield from _objects_under(storage, folder)
    else:
        yield from _files_under(storage, folder.strip("/"))


def _objects_under(storage: S3Storage, folder: str) -> Iterator[StoredFile]:
    location = storage.location.strip("/")
    root = posixpath.join(location, folder.strip("/"), "")
    paginator = storage.connection.meta.client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=storage.bucket_name, Prefix=root):
        for entry in page.get("Contents", ()):
            key = str(entry["Key"])
            if key == root:  # a folder marker some tools write
                continue
            name = key[len(location) + 1 :] if location else key
            yield StoredFile(name, int(entry["Size"]), entry["LastModified"])


def _files_under(storage: Storage, folder: str) -> Iterator[StoredFile]:
    try:
        directories, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        path = posixpath.join(folder, name)
        try:
            yield StoredFile(path, storage.size(path), storage.get_modified_time(path))
        except FileNotFoundError:
            continue
    for directory in directories:
        yield from _files_under(storage, posixpath.join(folder, directory))
