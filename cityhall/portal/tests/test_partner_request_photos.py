"""Members of the partner organisation a request is handed to see its photos, and only those."""

from pathlib import Path

import pytest

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import submit_service_request
from cityhall.servicerequests.tests.photo_files import image_bytes, upload, use_temporary_media


def _submit(citizen):
    return submit_service_request(
        reporter=citizen,
        service=ServiceFactory(code="streetlight"),
        description="The lamp post is bent.",
        answers={},
        location=None,
        channel=ServiceRequest.Channel.PORTAL,
        photos=[upload("a.jpg", image_bytes("JPEG")), upload("b.png", image_bytes("PNG"))],
    )


def _hand_over(service_request, partner):
    organisation = partner.partner_memberships.get().organisation
    ServiceRequest.objects.filter(pk=service_request.pk).update(assigned_partner=organisation)
    return service_request


@pytest.fixture
def media(db, settings, tmp_path):
    return use_temporary_media(settings, tmp_path)


@pytest.fixture
def handed_over(media, citizen, partner, django_capture_on_commit_callbacks):
    """A request handed to the partner, its photos cleaned by the worker."""
    with django_capture_on_commit_callbacks(execute=True):
        service_request = _submit(citizen)
    return _hand_over(service_request, partner)


def _url(photo):
    return f"/en/request-photos/{photo.public_id}/"


def test_a_partner_member_gets_the_photos_privately(client, partner, handed_over):
    client.force_login(partner)
    photo = handed_over.photos.first()

    response = client.get(_url(photo))

    assert response.status_code == 200
    assert response.content == Path(photo.image.path).read_bytes()
    assert "private" in response["Cache-Control"]


def test_the_partner_page_shows_the_photos_without_the_reporter(client, partner, handed_over):
    client.force_login(partner)

    page = client.get(f"/en/partner/requests/{handed_over.public_id}/").content.decode()

    for photo in handed_over.photos.all():
        assert _url(photo) in page
    assert 'alt="Photo 2 of 2"' in page
    assert "camille" not in page.lower()


def test_a_member_of_another_organisation_gets_not_found(client, handed_over):
    from cityhall.accounts.tests.factories import PartnerMembershipFactory

    stranger = PartnerMembershipFactory(user__email="sal@other.example").user
    client.force_login(stranger)

    assert client.get(_url(handed_over.photos.first())).status_code == 404


def test_the_partner_loses_the_photos_when_the_request_is_taken_back(client, partner, handed_over):
    ServiceRequest.objects.filter(pk=handed_over.pk).update(assigned_partner=None)
    client.force_login(partner)

    assert client.get(_url(handed_over.photos.first())).status_code == 404


def test_the_partner_sees_no_photo_awaiting_cleaning(client, media, citizen, partner):
    awaiting = _hand_over(_submit(citizen), partner)  # no task has run
    client.force_login(partner)

    page = client.get(f"/en/partner/requests/{awaiting.public_id}/").content.decode()

    for photo in awaiting.photos.all():
        assert _url(photo) not in page
        assert client.get(_url(photo)).status_code == 404
