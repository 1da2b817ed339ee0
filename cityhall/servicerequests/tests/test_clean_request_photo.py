"""The worker cleans a filed photo: decoded at a bounded cost, oriented, re-encoded without
metadata; what does not decode is rejected; the upload never outlives the cleaning."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.servicerequests import photos as photo_module
from cityhall.servicerequests.models import RequestPhoto, ServiceRequest
from cityhall.servicerequests.photos import MAX_STORED_SIDE
from cityhall.servicerequests.services import submit_service_request
from cityhall.servicerequests.tasks import clean_request_photo
from cityhall.servicerequests.tests.photo_files import (
    image_bytes,
    stored_files,
    upload,
    use_temporary_media,
)

CLEAN = RequestPhoto.Status.CLEAN
REJECTED = RequestPhoto.Status.REJECTED


@pytest.fixture
def media(settings, tmp_path):
    return use_temporary_media(settings, tmp_path)


@pytest.fixture
def awaiting(db, citizen, media):
    """File a request with one photo, leaving it awaiting cleaning (no task has run)."""

    def filed(name: str, content: bytes, content_type: str = "image/jpeg") -> RequestPhoto:
        service_request = submit_service_request(
            reporter=citizen,
            service=ServiceFactory(code="graffiti"),
            description="Graffiti on the library wall.",
            answers={},
            location=None,
            channel=ServiceRequest.Channel.PORTAL,
            photos=[upload(name, content, content_type)],
        )
        photo = service_request.photos.get()
        assert photo.status == RequestPhoto.Status.AWAITING_CLEANING
        return photo

    return filed


def clean(photo: RequestPhoto) -> RequestPhoto:
    photo_module.clean_request_photo(photo)
    photo.refresh_from_db()
    return photo


def test_a_large_jpeg_is_decoded_at_a_reduced_scale_within_the_pixel_cap(awaiting, monkeypatch):
    # Whole, 4200 x 3000 is more than the cap; at half scale (2100 x 1500) it is within it.
    monkeypatch.setattr(photo_module, "MAX_DECODED_PIXELS", 4_000_000)

    photo = clean(awaiting("big.jpg", image_bytes("JPEG", size=(4200, 3000))))

    assert photo.status == CLEAN
    assert max(photo.width, photo.height) <= MAX_STORED_SIDE
    assert max(photo.width, photo.height) >= MAX_STORED_SIDE * 0.9


def test_an_image_that_decodes_whole_past_the_pixel_cap_is_rejected(awaiting, monkeypatch):
    monkeypatch.setattr(photo_module, "MAX_DECODED_PIXELS", 4_000_000)

    photo = clean(awaiting("big.png", image_bytes("PNG", size=(4200, 3000)), "image/png"))

    assert photo.status == REJECTED


def test_a_png_is_stored_as_a_png_of_the_same_size(awaiting):
    photo = clean(awaiting("screen.png", image_bytes("PNG", size=(300, 200)), "image/png"))

    assert photo.content_type == "image/png"
    with Image.open(photo.image.path) as stored:
        assert (stored.format, stored.size) == ("PNG", (300, 200))


def test_a_corrupt_image_with_a_valid_header_is_rejected_and_its_upload_deleted(awaiting, media):
    whole = image_bytes("JPEG", size=(400, 300))
    corrupt = whole[: len(whole) // 2]
    with Image.open(io.BytesIO(corrupt)) as header:
        assert header.size == (400, 300)  # the cheap checks pass it

    photo = clean(awaiting("cut.jpg", corrupt))

    assert photo.status == REJECTED
    assert not photo.image
    assert not photo.raw_upload
    assert stored_files(media) == []


def test_a_clean_photo_keeps_no_upload_behind(awaiting, media):
    photo = clean(awaiting("a.jpg", image_bytes("JPEG")))

    assert photo.status == CLEAN
    assert not photo.raw_upload
    assert stored_files(media) == [media / photo.image.name]
    assert photo.byte_size == photo.image.size


def test_a_settled_photo_is_not_cleaned_again(awaiting, monkeypatch):
    photo = clean(awaiting("a.jpg", image_bytes("JPEG")))
    monkeypatch.setattr(photo_module, "_decode_and_reencode", lambda raw: pytest.fail("again"))

    assert photo_module.clean_request_photo(photo) == CLEAN


def test_a_second_run_finds_the_first_runs_work_done(awaiting):
    photo = awaiting("a.jpg", image_bytes("JPEG"))
    stale_copy = RequestPhoto.objects.get(pk=photo.pk)
    clean(photo)

    assert photo_module.clean_request_photo(stale_copy) == CLEAN
    assert stale_copy.image.name == photo.image.name


def test_a_photo_whose_upload_is_lost_is_rejected(awaiting, media):
    photo = awaiting("a.jpg", image_bytes("JPEG"))
    (media / photo.raw_upload.name).unlink()

    assert clean(photo).status == REJECTED


def test_the_task_cleans_the_photo_it_names(awaiting):
    photo = awaiting("a.jpg", image_bytes("JPEG"))

    result = clean_request_photo.enqueue(photo.id)

    photo.refresh_from_db()
    assert result.return_value == "clean"
    assert photo.status == CLEAN


def test_the_task_does_nothing_for_a_photo_erased_since(awaiting):
    photo = awaiting("a.jpg", image_bytes("JPEG"))
    photo_id = photo.id
    photo.delete()

    assert clean_request_photo.enqueue(photo_id).return_value == "gone"
