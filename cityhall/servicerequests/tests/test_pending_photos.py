"""Photos kept between two tries of a form: checked without decoding, owned, expiring, swept."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from cityhall.servicerequests import pending_photos as pending_module
from cityhall.servicerequests import photos as photo_module
from cityhall.servicerequests.pending_photos import (
    MAX_PENDING_PER_OWNER,
    PENDING_DIRECTORY,
    PENDING_PHOTO_MAX_AGE,
    discard_pending_photos,
    keep_valid_photos,
    open_pending_photos,
    pending_photos_from_token,
    pending_photos_token,
)
from cityhall.servicerequests.photos import MAX_PHOTOS_PER_REQUEST
from cityhall.servicerequests.tests.photo_files import (
    image_bytes,
    jpeg_with_gps_bytes,
    stored_files,
    upload,
    use_temporary_media,
)


@pytest.fixture
def media(settings, tmp_path):
    return use_temporary_media(settings, tmp_path)


def keep(*uploads, owner="session-a", address="203.0.113.7", already_kept=()):
    return keep_valid_photos(
        list(uploads), already_kept=list(already_kept), owner=owner, address=address
    )


def png(name="a.png"):
    return upload(name, image_bytes("PNG"), "image/png")


def test_one_session_keeps_at_most_its_share_across_forms(media):
    for _ in range(MAX_PENDING_PER_OWNER // MAX_PHOTOS_PER_REQUEST):
        assert len(keep(*[png() for _ in range(MAX_PHOTOS_PER_REQUEST)]).photos) == 5

    refused = keep(png(), owner="session-a")
    other_session = keep(png(), owner="session-b")

    assert refused.photos == []
    assert refused.problems == [
        "Photos could not be kept for your next try: choose them again when you send the form."
    ]
    assert len(other_session.photos) == 1


def test_one_address_keeps_at_most_its_share_whatever_the_sessions(media, monkeypatch):
    monkeypatch.setattr(pending_module, "MAX_PENDING_PER_ADDRESS", 3)
    for owner in ("a", "b", "c"):
        keep(png(), owner=owner, address="2001:db8:1:2::10")

    same_network = keep(png(), owner="d", address="2001:db8:1:2:ffff::99")
    other_address = keep(png(), owner="e", address="2001:db8:9:9::10")

    assert same_network.photos == []
    assert len(other_address.photos) == 1


def test_nothing_more_is_kept_once_the_storage_limit_is_reached(media, settings):
    settings.PENDING_PHOTOS_MAX_BYTES = 1
    keep(png(), owner="a", address="198.51.100.1")

    outcome = keep(png(), owner="b", address="198.51.100.2")

    assert outcome.photos == []
    assert len(outcome.problems) == 1


def test_a_refused_keep_reads_nothing(media, settings, monkeypatch):
    settings.PENDING_PHOTOS_MAX_BYTES = 1
    keep(png())
    monkeypatch.setattr(pending_module, "check_request_photo", lambda upload: pytest.fail("read"))

    assert keep(png(), owner="other").photos == []


def test_expired_photos_no_longer_count_against_the_limits(media, settings):
    settings.PENDING_PHOTOS_MAX_BYTES = 1
    [old] = keep(png()).photos
    long_ago = time.time() - PENDING_PHOTO_MAX_AGE.total_seconds() - 60
    os.utime(media / old.storage_name, (long_ago, long_ago))

    assert len(keep(png(), owner="other").photos) == 1


def test_no_client_address_is_written_in_a_kept_photos_name(media):
    [photo] = keep(png(), address="203.0.113.7").photos

    assert "203.0.113.7" not in photo.storage_name
    assert photo.storage_name.startswith(f"{PENDING_DIRECTORY}/")


def test_only_valid_photos_are_kept_as_sent_without_being_decoded(media, monkeypatch):
    monkeypatch.setattr(
        photo_module, "_decode_and_reencode", lambda raw: pytest.fail("decoded in the request")
    )
    original = jpeg_with_gps_bytes()

    outcome = keep(upload("gps.jpg", original), upload("notes.jpg", b"words"))

    assert [photo.shown_name for photo in outcome.photos] == ["gps.jpg"]
    assert outcome.problems == ["“notes.jpg” is not a JPEG, PNG, HEIC or WebP image."]
    assert (media / outcome.photos[0].storage_name).read_bytes() == original


def test_a_token_gives_the_photos_back_to_their_owner_only(media):
    kept = keep(upload("a.png", image_bytes("PNG"))).photos
    token = pending_photos_token(kept, owner="session-a")

    assert pending_photos_from_token(token, owner="session-a") == kept
    assert pending_photos_from_token(token, owner="session-b") == []
    assert pending_photos_from_token(token + "x", owner="session-a") == []
    assert pending_photos_token([], owner="session-a") == ""


def test_an_expired_token_gives_nothing(media, monkeypatch):
    kept = keep(upload("a.png", image_bytes("PNG"))).photos
    token = pending_photos_token(kept, owner="me")
    later = time.time() + PENDING_PHOTO_MAX_AGE.total_seconds() + 1
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)

    assert pending_photos_from_token(token, owner="me") == []


def test_kept_photos_open_under_their_own_names_and_can_be_discarded(media):
    kept = keep(upload("a.png", image_bytes("PNG"))).photos

    [opened] = open_pending_photos(kept)
    discard_pending_photos(kept)

    assert opened.name == "a.png"
    assert opened.read().startswith(b"\x89PNG")
    assert stored_files(media) == []


def test_files_older_than_the_token_life_are_swept_when_new_ones_are_kept(media):
    old = keep(upload("old.png", image_bytes("PNG"))).photos
    old_path = Path(media / old[0].storage_name)
    long_ago = time.time() - PENDING_PHOTO_MAX_AGE.total_seconds() - 60
    os.utime(old_path, (long_ago, long_ago))

    keep(upload("new.png", image_bytes("PNG")))

    assert not old_path.exists()
    assert len(stored_files(media / PENDING_DIRECTORY)) == 1
