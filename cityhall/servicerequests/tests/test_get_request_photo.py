"""Every door to a photo opens on clean photos only: one awaiting cleaning still carries the
metadata it was sent with, and one rejected has nothing to show."""

from __future__ import annotations

import pytest

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.errors import NotFound
from cityhall.servicerequests import photos as photo_module
from cityhall.servicerequests.models import RequestPhoto, ServiceRequest
from cityhall.servicerequests.photos import (
    get_request_photo_for_reporter_or_partner,
    get_request_photo_for_staff,
)
from cityhall.servicerequests.services import submit_service_request
from cityhall.servicerequests.tests.photo_files import (
    image_bytes,
    jpeg_with_gps_bytes,
    upload,
    use_temporary_media,
)


@pytest.fixture
def awaiting(db, settings, tmp_path, citizen, partner):
    """A photo filed with a request handed to the partner, before any worker ran."""
    use_temporary_media(settings, tmp_path)
    service_request = submit_service_request(
        reporter=citizen,
        service=ServiceFactory(code="pothole", department__code="public-works"),
        description="A deep pothole by the school gate.",
        answers={},
        location=None,
        channel=ServiceRequest.Channel.PORTAL,
        photos=[upload("a.jpg", jpeg_with_gps_bytes())],
    )
    organisation = partner.partner_memberships.get().organisation
    ServiceRequest.objects.filter(pk=service_request.pk).update(assigned_partner=organisation)
    return service_request.photos.get()


def doors(photo, citizen, partner, agent, admin):
    public_id = photo.public_id
    return {
        "reporter": lambda: get_request_photo_for_reporter_or_partner(
            public_id=public_id, user=citizen
        ),
        "partner": lambda: get_request_photo_for_reporter_or_partner(
            public_id=public_id, user=partner
        ),
        "agent": lambda: get_request_photo_for_staff(public_id=public_id, staff=agent),
        "admin": lambda: get_request_photo_for_staff(public_id=public_id, staff=admin),
    }


def test_no_door_opens_on_a_photo_awaiting_cleaning(awaiting, citizen, partner, agent, admin):
    assert awaiting.status == RequestPhoto.Status.AWAITING_CLEANING
    opened = []
    for name, door in doors(awaiting, citizen, partner, agent, admin).items():
        try:
            door()
            opened.append(name)
        except NotFound:
            pass

    assert opened == []


def test_every_door_opens_once_the_photo_is_clean(awaiting, citizen, partner, agent, admin):
    photo_module.clean_request_photo(awaiting)

    for door in doors(awaiting, citizen, partner, agent, admin).values():
        assert door() == awaiting


def test_no_door_opens_on_a_rejected_photo(db, settings, tmp_path, citizen, agent):
    use_temporary_media(settings, tmp_path)
    whole = image_bytes("JPEG", size=(400, 300))
    service_request = submit_service_request(
        reporter=citizen,
        service=ServiceFactory(code="pothole", department__code="public-works"),
        description="A deep pothole by the school gate.",
        answers={},
        location=None,
        channel=ServiceRequest.Channel.PORTAL,
        photos=[upload("cut.jpg", whole[: len(whole) // 2])],
    )
    photo = service_request.photos.get()
    photo_module.clean_request_photo(photo)

    assert photo.status == RequestPhoto.Status.REJECTED
    with pytest.raises(NotFound):
        get_request_photo_for_staff(public_id=photo.public_id, staff=agent)
