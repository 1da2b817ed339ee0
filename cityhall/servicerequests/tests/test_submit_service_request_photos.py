from __future__ import annotations

import io
from pathlib import Path
from unittest import mock

import pillow_heif
import pytest
from django_tasks_db.models import DBTaskResult
from PIL import Image, ImageFile

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.errors import InvalidInput
from cityhall.servicerequests import photos as photo_module
from cityhall.servicerequests.models import RequestPhoto, ServiceRequest
from cityhall.servicerequests.services import intake, submit_service_request
from cityhall.servicerequests.tests.photo_files import (
    ARTIST,
    GPS_IFD,
    ROTATED_90,
    image_bytes,
    jpeg_with_gps_bytes,
    stored_files,
    upload,
    use_temporary_media,
)

PORTAL = ServiceRequest.Channel.PORTAL


@pytest.fixture
def media(settings, tmp_path):
    return use_temporary_media(settings, tmp_path)


@pytest.fixture
def graffiti(db):
    return ServiceFactory(code="graffiti")


@pytest.fixture
def filed_and_cleaned(django_capture_on_commit_callbacks):
    """Submit as `submit` does, then run what the filing queued on commit, as a worker would."""

    def filed(*args, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return submit(*args, **overrides)

    return filed


def submit(service, reporter, photos, **overrides):
    arguments = {
        "reporter": reporter,
        "service": service,
        "description": "Graffiti on the library wall.",
        "answers": {},
        "location": None,
        "channel": PORTAL,
        "photos": photos,
    }
    return submit_service_request(**(arguments | overrides))


def photo_errors(error_info):
    return error_info.value.fields["photos"]


def test_the_filing_only_reads_headers_and_quarantines_the_uploads(
    graffiti, citizen, media, monkeypatch
):
    monkeypatch.setattr(
        photo_module, "_decode_and_reencode", lambda raw: pytest.fail("decoded in the request")
    )
    monkeypatch.setattr(
        ImageFile.ImageFile, "load", lambda image: pytest.fail("pixels read in the request")
    )
    original = jpeg_with_gps_bytes()

    service_request = submit(graffiti, citizen, [upload("IMG_0001.jpg", original)])

    photo = service_request.photos.get()
    assert photo.status == RequestPhoto.Status.AWAITING_CLEANING
    assert not photo.image
    assert photo.raw_upload.name.startswith("photo-quarantine/")
    assert (media / photo.raw_upload.name).read_bytes() == original


def test_the_cleaning_task_is_queued_in_the_filings_transaction_with_the_database_backend(
    graffiti, citizen, media, settings
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }

    service_request = submit(graffiti, citizen, [upload("a.jpg", image_bytes("JPEG"))])

    # The test's transaction never commits: a task queued on commit would not be there.
    photo = service_request.photos.get()
    queued = DBTaskResult.objects.filter(task_path__endswith=".clean_request_photo")
    assert [row.args_kwargs["args"] for row in queued] == [[photo.id]]


def test_photos_are_stored_in_order_with_their_sizes(graffiti, citizen, media, filed_and_cleaned):
    service_request = filed_and_cleaned(
        graffiti,
        citizen,
        [upload("a.jpg", image_bytes("JPEG")), upload("b.png", image_bytes("PNG"), "image/png")],
    )

    stored = list(service_request.photos.all())
    assert [photo.position for photo in stored] == [0, 1]
    assert [photo.content_type for photo in stored] == ["image/jpeg", "image/png"]
    assert [(photo.width, photo.height) for photo in stored] == [(64, 48), (64, 48)]
    assert stored[0].byte_size == stored[0].image.size
    assert stored[0].uploaded_by == citizen
    assert len(stored_files(media)) == 2


def test_gps_exif_xmp_profile_and_comment_are_gone_from_the_stored_file(
    graffiti, citizen, media, filed_and_cleaned
):
    original = jpeg_with_gps_bytes()
    with Image.open(io.BytesIO(original)) as sent:
        # The test really sends what must disappear.
        assert sent.getexif().get_ifd(GPS_IFD)
        assert {"xmp", "icc_profile", "comment"} <= set(sent.info)

    service_request = filed_and_cleaned(graffiti, citizen, [upload("IMG_0001.jpg", original)])

    stored_path = service_request.photos.get().image.path
    with Image.open(stored_path) as stored:
        exif = stored.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert ARTIST not in exif
        assert "xmp" not in stored.info
        assert "icc_profile" not in stored.info
        assert "comment" not in stored.info
    raw = Path(stored_path).read_bytes()
    assert b"secret place" not in raw
    assert b"Jeanne Reporter" not in raw
    assert b"Exif" not in raw


def test_the_orientation_is_applied_before_it_is_removed(
    graffiti, citizen, media, filed_and_cleaned
):
    service_request = filed_and_cleaned(
        graffiti, citizen, [upload("sideways.jpg", jpeg_with_gps_bytes(orientation=ROTATED_90))]
    )

    photo = service_request.photos.get()
    assert (photo.width, photo.height) == (48, 64)
    with Image.open(photo.image.path) as stored:
        pixel = stored.convert("RGB").getpixel((24, 2))
    assert isinstance(pixel, tuple)
    red, _green, blue = pixel
    # The red left half of the sideways original is now on top.
    assert red > 200
    assert blue < 60


def test_a_heic_photo_is_accepted_and_stored_as_jpeg(graffiti, citizen, media, filed_and_cleaned):
    heic = image_bytes("HEIF")
    assert pillow_heif.is_supported(heic)

    service_request = filed_and_cleaned(
        graffiti, citizen, [upload("IMG_0002.HEIC", heic, "image/heic")]
    )

    photo = service_request.photos.get()
    assert photo.content_type == "image/jpeg"
    assert photo.image.name.endswith(".jpg")
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"


def test_a_webp_photo_is_accepted(graffiti, citizen, media, filed_and_cleaned):
    service_request = filed_and_cleaned(graffiti, citizen, [upload("w.webp", image_bytes("WEBP"))])

    assert service_request.photos.get().content_type == "image/jpeg"


def test_a_text_file_named_like_a_jpeg_is_refused_by_name(graffiti, citizen, media):
    with pytest.raises(InvalidInput) as error:
        submit(graffiti, citizen, [upload("notes.jpg", b"just some words\n" * 20)])

    assert photo_errors(error) == ["“notes.jpg” is not a JPEG, PNG, HEIC or WebP image."]
    assert not ServiceRequest.objects.exists()


def test_an_image_in_another_format_is_refused(graffiti, citizen, media):
    with pytest.raises(InvalidInput) as error:
        submit(graffiti, citizen, [upload("scan.jpg", image_bytes("GIF"))])

    assert "“scan.jpg”" in photo_errors(error)[0]


def test_a_jpeg_cut_before_its_size_is_refused(graffiti, citizen, media):
    truncated = image_bytes("JPEG", size=(400, 300))[:300]

    with pytest.raises(InvalidInput) as error:
        submit(graffiti, citizen, [upload("cut.jpg", truncated)])

    assert "“cut.jpg”" in photo_errors(error)[0]


def test_six_photos_are_refused(graffiti, citizen, media):
    six = [upload(f"{n}.jpg", image_bytes("JPEG")) for n in range(6)]

    with pytest.raises(InvalidInput) as error:
        submit(graffiti, citizen, six)

    assert photo_errors(error) == ["Attach at most 5 photos."]
    assert stored_files(media) == []


def test_five_photos_are_accepted(graffiti, citizen, media):
    five = [upload(f"{n}.jpg", image_bytes("JPEG")) for n in range(5)]

    assert submit(graffiti, citizen, five).photos.count() == 5


def test_an_oversized_photo_is_refused_with_its_name(graffiti, citizen, media, settings):
    settings.REQUEST_PHOTO_MAX_BYTES = 1024 * 1024
    big = upload("huge.png", image_bytes("PNG") + b"\0" * (1024 * 1024), "image/png")

    with pytest.raises(InvalidInput) as error:
        submit(graffiti, citizen, [upload("fine.jpg", image_bytes("JPEG")), big])

    assert photo_errors(error) == ["“huge.png” is larger than 1 MB."]
    assert stored_files(media) == []


def test_a_decompression_bomb_is_refused_before_decoding(graffiti, citizen, media, monkeypatch):
    monkeypatch.setattr(photo_module, "MAX_PHOTO_PIXELS", 1000)
    monkeypatch.setattr(
        photo_module, "_decode_and_reencode", lambda raw: pytest.fail("decoded in the request")
    )

    with pytest.raises(InvalidInput) as error:
        submit(graffiti, citizen, [upload("bomb.png", image_bytes("PNG"), "image/png")])

    assert photo_errors(error) == ["“bomb.png” has too many pixels; send a smaller photo."]


def test_photo_errors_come_with_the_other_field_errors(graffiti, citizen, media):
    with pytest.raises(InvalidInput) as error:
        submit(graffiti, citizen, [upload("x.jpg", b"nope")], description="short")

    assert set(error.value.fields) == {"photos", "description"}


def test_an_idempotent_retry_does_not_duplicate_photos(graffiti, citizen, media):
    first = submit(graffiti, citizen, [upload("a.jpg", image_bytes("JPEG"))], idempotency_key="k1")
    again = submit(graffiti, citizen, [upload("a.jpg", image_bytes("JPEG"))], idempotency_key="k1")

    assert again.pk == first.pk
    assert RequestPhoto.objects.count() == 1
    assert len(stored_files(media)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_filing_that_fails_after_writing_photos_leaves_no_file(citizen, media):
    graffiti = ServiceFactory(code="graffiti")
    failure = RuntimeError("the database went away")

    with (
        mock.patch.object(intake, "record_audit_event", side_effect=failure),
        pytest.raises(RuntimeError),
    ):
        submit(graffiti, citizen, [upload("a.jpg", image_bytes("JPEG"))])

    assert not ServiceRequest.objects.exists()
    assert not RequestPhoto.objects.exists()
    assert stored_files(media) == []
