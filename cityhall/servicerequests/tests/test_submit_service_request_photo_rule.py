"""A service whose catalog entry requires a photo gets one with every request, on every channel."""

from __future__ import annotations

import pytest

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.errors import InvalidInput
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import ClientDetails, submit_service_request
from cityhall.servicerequests.tests.photo_files import image_bytes, upload, use_temporary_media


@pytest.fixture
def media(settings, tmp_path):
    return use_temporary_media(settings, tmp_path)


def submit(service, reporter, **overrides):
    arguments = {
        "reporter": reporter,
        "service": service,
        "description": "Graffiti on the library wall.",
        "answers": {},
        "location": None,
        "channel": ServiceRequest.Channel.PORTAL,
    }
    return submit_service_request(**(arguments | overrides))


def test_a_request_without_a_photo_is_refused_when_the_service_requires_one(db, citizen):
    graffiti = ServiceFactory(code="graffiti", requires_photo=True)

    with pytest.raises(InvalidInput) as error:
        submit(graffiti, citizen, description="Short")

    assert error.value.fields["photos"] == ["Add at least one photo of the problem."]
    assert "description" in error.value.fields  # named with the other mistakes
    assert not ServiceRequest.objects.exists()


def test_one_photo_is_enough_for_a_service_that_requires_one(db, citizen, media):
    graffiti = ServiceFactory(code="graffiti", requires_photo=True)

    service_request = submit(graffiti, citizen, photos=[upload("wall.png", image_bytes("PNG"))])

    assert service_request.photos.count() == 1


def test_a_photo_the_client_hosts_itself_counts_as_the_photo(db, citizen):
    graffiti = ServiceFactory(code="graffiti", requires_photo=True)

    service_request = submit(
        graffiti, citizen, client=ClientDetails(media_url="https://example.org/wall.jpg")
    )

    assert service_request.media_url == "https://example.org/wall.jpg"


def test_a_service_without_the_rule_files_without_a_photo(db, citizen):
    pothole = ServiceFactory(code="pothole", requires_photo=False)

    assert submit(pothole, citizen).photos.count() == 0
