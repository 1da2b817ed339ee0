"""Cleaning one photo costs a bounded amount of CPU: reduced-scale decoding, a pixel cap,
one cleaning per upload and a bounded number of cleanings at once per process."""

from __future__ import annotations

import io
import threading
import time

import pytest
from PIL import Image

from cityhall.core.errors import InvalidInput
from cityhall.servicerequests import photos as photo_module
from cityhall.servicerequests.photos import (
    CLEANING_RETRY_AFTER,
    MAX_STORED_SIDE,
    PhotoCleaningBusy,
    prepare_request_photo,
    prepare_request_photos,
)
from cityhall.servicerequests.tests.photo_files import image_bytes, upload


def test_a_large_jpeg_is_decoded_at_a_reduced_scale_within_the_pixel_cap(monkeypatch):
    # Whole, 4200 x 3000 is more than the cap; at half scale (2100 x 1500) it is within it.
    monkeypatch.setattr(photo_module, "MAX_DECODED_PIXELS", 4_000_000)

    prepared = prepare_request_photo(upload("big.jpg", image_bytes("JPEG", size=(4200, 3000))))

    assert max(prepared.width, prepared.height) <= MAX_STORED_SIDE
    assert max(prepared.width, prepared.height) >= MAX_STORED_SIDE * 0.9


def test_an_image_that_decodes_whole_past_the_pixel_cap_is_refused(monkeypatch):
    monkeypatch.setattr(photo_module, "MAX_DECODED_PIXELS", 4_000_000)

    with pytest.raises(InvalidInput) as refused:
        prepare_request_photo(upload("big.png", image_bytes("PNG", size=(4200, 3000)), "image/png"))

    assert "too many pixels" in refused.value.fields["photos"][0]


def test_a_photo_is_refused_as_busy_when_no_cleaning_turn_frees_up_in_time(monkeypatch):
    turns = threading.BoundedSemaphore(1)
    monkeypatch.setattr(photo_module, "_cleaning_turns", turns)
    monkeypatch.setattr(photo_module, "CLEANING_WAIT_SECONDS", 0.01)
    photo = upload("street.jpg", image_bytes("JPEG"))

    turns.acquire()  # another request is cleaning
    with pytest.raises(InvalidInput) as refused:
        prepare_request_photo(photo)
    turns.release()

    assert "busy" in refused.value.fields["photos"][0]
    assert prepare_request_photo(photo).content_type == "image/jpeg"


def test_the_same_upload_is_decoded_once_however_often_it_is_prepared(monkeypatch):
    decoded: list[str] = []
    original = photo_module._decode_and_reencode

    def counting(photo, name):
        decoded.append(name)
        return original(photo, name)

    monkeypatch.setattr(photo_module, "_decode_and_reencode", counting)
    photo = upload("street.jpg", image_bytes("JPEG"))
    refused = upload("notes.jpg", b"words")

    first, second = prepare_request_photo(photo), prepare_request_photo(photo)
    for _ in range(2):
        with pytest.raises(InvalidInput):
            prepare_request_photo(refused)

    assert first is second
    assert decoded == ["street.jpg", "notes.jpg"]


def test_a_png_is_stored_as_a_png_of_the_same_size():
    prepared = prepare_request_photo(
        upload("screen.png", image_bytes("PNG", size=(300, 200)), "image/png")
    )

    assert prepared.content_type == "image/png"
    with Image.open(io.BytesIO(prepared.content)) as stored:
        assert (stored.format, stored.size) == ("PNG", (300, 200))


def test_once_busy_the_other_photos_of_the_request_do_not_wait_their_turn(monkeypatch):
    turns = threading.BoundedSemaphore(1)
    monkeypatch.setattr(photo_module, "_cleaning_turns", turns)
    monkeypatch.setattr(photo_module, "CLEANING_WAIT_SECONDS", 0.2)
    photos = [upload(f"street{index}.jpg", image_bytes("JPEG")) for index in range(5)]

    turns.acquire()
    started = time.monotonic()
    with pytest.raises(PhotoCleaningBusy) as refused:
        prepare_request_photos(photos)
    waited = time.monotonic() - started
    turns.release()

    assert waited < 0.5
    assert (refused.value.status, refused.value.retry_after) == (503, CLEANING_RETRY_AFTER)
