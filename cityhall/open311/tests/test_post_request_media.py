import io
import os

import pytest
from PIL import Image

from cityhall.open311.params import FORM_BYTES
from cityhall.servicerequests import photos as photo_module
from cityhall.servicerequests.models import RequestPhoto, ServiceRequest
from cityhall.servicerequests.tests.photo_files import (
    jpeg_with_gps_bytes,
    stored_files,
    upload,
    use_temporary_media,
)

URL = "/open311/v2/requests.json"


def noisy_png(*, size):
    """A PNG that cannot be compressed below three bytes a pixel."""
    output = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(output, format="PNG")
    return output.getvalue()


@pytest.fixture
def media_root(settings, tmp_path):
    return use_temporary_media(settings, tmp_path)


def post_media(client, key, media, url=URL):
    data = {
        "api_key": key,
        "service_code": "pothole",
        "lat": "45.51",
        "long": "-73.59",
        "description": "A deep pothole in front of the school.",
        "attribute[size]": "large",
        "media": media,
    }
    return client.post(url, data)


def test_a_media_file_is_stored_without_its_metadata(
    client, pothole, open311_key, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the worker cleans the photo
        response = post_media(client, open311_key, upload("street.jpg", jpeg_with_gps_bytes()))

    assert response.status_code == 200
    photo = RequestPhoto.objects.get()
    assert photo.status == RequestPhoto.Status.CLEAN
    assert photo.service_request == ServiceRequest.objects.get()
    with Image.open(photo.image.path) as stored:
        assert not stored.getexif()
        assert "xmp" not in stored.info


def test_a_media_file_is_only_checked_from_its_header_in_the_request(
    client, pothole, open311_key, media_root, monkeypatch
):
    monkeypatch.setattr(
        photo_module, "_decode_and_reencode", lambda raw: pytest.fail("decoded in the request")
    )

    response = post_media(client, open311_key, upload("street.jpg", jpeg_with_gps_bytes()))

    assert response.status_code == 200
    assert RequestPhoto.objects.get().status == RequestPhoto.Status.AWAITING_CLEANING


def test_a_file_that_is_not_an_image_is_a_400_and_files_nothing(
    client, pothole, open311_key, media_root
):
    response = post_media(
        client,
        open311_key,
        upload("notes.txt", b"not a picture", "text/plain"),
        "/open311/v2/requests.xml",
    )

    assert response.status_code == 400
    assert b"media" in response.content
    assert not ServiceRequest.objects.exists()
    assert stored_files(media_root) == []


def test_an_oversized_media_file_is_a_400_and_files_nothing(
    client, pothole, open311_key, media_root, settings
):
    settings.REQUEST_PHOTO_MAX_BYTES = 20_000
    big = noisy_png(size=(100, 100))
    assert 20_000 < len(big) < 20_000 + FORM_BYTES

    response = post_media(client, open311_key, upload("big.png", big, "image/png"))

    assert response.status_code == 400
    assert any("media" in error["description"] for error in response.json())
    assert not ServiceRequest.objects.exists()
    assert stored_files(media_root) == []


def test_a_body_far_beyond_the_media_limit_is_refused_before_it_is_read(
    client, pothole, open311_key, media_root, settings
):
    settings.REQUEST_PHOTO_MAX_BYTES = 1_000
    huge = b"\xff" * 400_000

    response = post_media(client, open311_key, upload("huge.jpg", huge))

    assert response.status_code == 400
    assert "too large" in response.json()[0]["description"]
    assert not ServiceRequest.objects.exists()
