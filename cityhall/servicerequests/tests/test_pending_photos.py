"""Photos kept between two tries of a form: cleaned, owned, expiring, swept."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PIL import Image

from cityhall.servicerequests.pending_photos import (
    PENDING_DIRECTORY,
    PENDING_PHOTO_MAX_AGE,
    discard_pending_photos,
    keep_valid_photos,
    open_pending_photos,
    pending_photos_from_token,
    pending_photos_token,
)
from cityhall.servicerequests.tests.photo_files import (
    GPS_IFD,
    image_bytes,
    jpeg_with_gps_bytes,
    stored_files,
    upload,
    use_temporary_media,
)


@pytest.fixture
def media(settings, tmp_path):
    return use_temporary_media(settings, tmp_path)


def test_only_valid_photos_are_kept_already_cleaned(media):
    outcome = keep_valid_photos(
        [upload("gps.jpg", jpeg_with_gps_bytes()), upload("notes.jpg", b"words")], already_kept=[]
    )

    assert [photo.shown_name for photo in outcome.photos] == ["gps.jpg"]
    assert outcome.problems == ["“notes.jpg” is not a JPEG, PNG, HEIC or WebP image."]
    with Image.open(media / outcome.photos[0].storage_name) as kept:
        assert not kept.getexif().get_ifd(GPS_IFD)


def test_a_token_gives_the_photos_back_to_their_owner_only(media):
    kept = keep_valid_photos([upload("a.png", image_bytes("PNG"))], already_kept=[]).photos
    token = pending_photos_token(kept, owner="session-a")

    assert pending_photos_from_token(token, owner="session-a") == kept
    assert pending_photos_from_token(token, owner="session-b") == []
    assert pending_photos_from_token(token + "x", owner="session-a") == []
    assert pending_photos_token([], owner="session-a") == ""


def test_an_expired_token_gives_nothing(media, monkeypatch):
    kept = keep_valid_photos([upload("a.png", image_bytes("PNG"))], already_kept=[]).photos
    token = pending_photos_token(kept, owner="me")
    later = time.time() + PENDING_PHOTO_MAX_AGE.total_seconds() + 1
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)

    assert pending_photos_from_token(token, owner="me") == []


def test_kept_photos_open_under_their_own_names_and_can_be_discarded(media):
    kept = keep_valid_photos([upload("a.png", image_bytes("PNG"))], already_kept=[]).photos

    [opened] = open_pending_photos(kept)
    discard_pending_photos(kept)

    assert opened.name == "a.png"
    assert opened.read().startswith(b"\x89PNG")
    assert stored_files(media) == []


def test_files_older_than_the_token_life_are_swept_when_new_ones_are_kept(media):
    old = keep_valid_photos([upload("old.png", image_bytes("PNG"))], already_kept=[]).photos
    old_path = Path(media / old[0].storage_name)
    long_ago = time.time() - PENDING_PHOTO_MAX_AGE.total_seconds() - 60
    os.utime(old_path, (long_ago, long_ago))

    keep_valid_photos([upload("new.png", image_bytes("PNG"))], already_kept=[])

    assert not old_path.exists()
    assert len(stored_files(media / PENDING_DIRECTORY)) == 1
