"""A request's photos are shown to its reporter only, never cached by shared caches."""

from __future__ import annotations

from pathlib import Path

import pytest

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import submit_service_request
from cityhall.servicerequests.tests.photo_files import image_bytes, upload, use_temporary_media


@pytest.fixture
def filed(db, settings, tmp_path, citizen):
    use_temporary_media(settings, tmp_path)
    return submit_service_request(
        reporter=citizen,
        service=ServiceFactory(code="graffiti"),
        description="Tags all over the library wall.",
        answers={},
        location=None,
        channel=ServiceRequest.Channel.PORTAL,
        photos=[upload("a.jpg", image_bytes("JPEG")), upload("b.png", image_bytes("PNG"))],
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
