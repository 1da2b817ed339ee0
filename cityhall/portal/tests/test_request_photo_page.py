"""A request's photos are shown to its reporter only, once clean, never cached by shared caches."""

from __future__ import annotations

from pathlib import Path

import pytest

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.servicerequests.models import RequestPhoto, ServiceRequest
from cityhall.servicerequests.services import submit_service_request
from cityhall.servicerequests.tests.photo_files import (
    image_bytes,
    jpeg_with_gps_bytes,
    upload,
    use_temporary_media,
)


def _submit(citizen, photos):
    return submit_service_request(
        reporter=citizen,
        service=ServiceFactory(code="graffiti"),
        description="Tags all over the library wall.",
        answers={},
        location=None,
        channel=ServiceRequest.Channel.PORTAL,
        photos=photos,
    )


@pytest.fixture
def media(db, settings, tmp_path):
    return use_temporary_media(settings, tmp_path)


@pytest.fixture
def filed(media, citizen, django_capture_on_commit_callbacks):
    """A request whose photos the worker has cleaned."""
    with django_capture_on_commit_callbacks(execute=True):
        return _submit(
            citizen, [upload("a.jpg", image_bytes("JPEG")), upload("b.png", image_bytes("PNG"))]
        )


def _url(photo):
    return f"/en/request-photos/{photo.public_id}/"


def test_the_reporter_gets_the_photo_privately(client, citizen, filed):
    client.force_login(citizen)
    photo = filed.photos.first()

    response = client.get(_url(photo))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response.content == Path(photo.image.path).read_bytes()
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_another_citizen_gets_not_found(client, other_citizen, filed):
    client.force_login(other_citizen)

    assert client.get(_url(filed.photos.first())).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, filed):
    response = client.get(_url(filed.photos.first()))

    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]


def test_staff_cannot_use_the_citizen_address(client, agent, filed):
    client.force_login(agent)

    assert client.get(_url(filed.photos.first())).status_code == 404


def test_the_status_page_shows_the_reporter_their_photos(client, citizen, filed):
    client.force_login(citizen)

    page = client.get(f"/en/requests/{filed.tracking_number}/").content.decode()

    for photo in filed.photos.all():
        assert f'src="{_url(photo)}"' in page
    assert 'alt="Photo 2 of 2"' in page


def test_the_public_status_page_shows_no_photo(client, other_citizen, filed):
    client.force_login(other_citizen)

    page = client.get(f"/en/requests/{filed.tracking_number}/").content.decode()

    assert "request-photos" not in page


def test_a_photo_awaiting_cleaning_is_not_served_and_said_to_be_prepared(client, citizen, media):
    awaiting = _submit(citizen, [upload("a.jpg", jpeg_with_gps_bytes())])  # no task has run
    client.force_login(citizen)
    photo = awaiting.photos.get()

    page = client.get(f"/en/requests/{awaiting.tracking_number}/").content.decode()

    assert photo.status == RequestPhoto.Status.AWAITING_CLEANING
    assert client.get(_url(photo)).status_code == 404
    assert _url(photo) not in page
    assert "A photo is being prepared" in page


def test_a_photo_that_could_not_be_read_is_named_on_the_status_page(
    client, citizen, media, django_capture_on_commit_callbacks
):
    whole = image_bytes("JPEG", size=(400, 300))
    with django_capture_on_commit_callbacks(execute=True):
        rejected = _submit(citizen, [upload("cut.jpg", whole[: len(whole) // 2])])
    client.force_login(citizen)
    photo = rejected.photos.get()

    page = client.get(f"/en/requests/{rejected.tracking_number}/").content.decode()

    assert photo.status == RequestPhoto.Status.REJECTED
    assert client.get(_url(photo)).status_code == 404
    assert "A photo could not be read." in page
