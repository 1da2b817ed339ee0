"""Before filing, a likely duplicate nearby is offered to follow; photos survive the detour."""

from __future__ import annotations

import re

import pytest

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.servicerequests.models import Follower, ServiceRequest
from cityhall.servicerequests.services import Location, submit_service_request
from cityhall.servicerequests.tests.photo_files import image_bytes, upload, use_temporary_media

FORM = "/en/services/pothole/request/"
SPOT = {"latitude": "45.5101", "longitude": "-73.5901"}
DESCRIPTION = "Deep pothole in front of the school gate."


@pytest.fixture
def media(settings, tmp_path):
    return use_temporary_media(settings, tmp_path)


@pytest.fixture
def pothole(db):
    return ServiceFactory(code="pothole", name_en="Pothole", allows_anonymous=True)


@pytest.fixture
def earlier(pothole, other_citizen):
    return submit_service_request(
        reporter=other_citizen,
        service=pothole,
        description=DESCRIPTION,
        answers={},
        location=Location(45.5101, -73.5901),
        channel=ServiceRequest.Channel.PORTAL,
    )


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


def _form(client, **overrides):
    page = client.get(FORM).content.decode()
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]
    return {"idempotency_key": key, "description": DESCRIPTION, **SPOT} | overrides


def test_a_likely_duplicate_is_offered_before_filing(signed_in, earlier, media):
    data = _form(signed_in, photos=[upload("hole.jpg", image_bytes("JPEG"))])

    page = signed_in.post(FORM, data).content.decode()

    assert ServiceRequest.objects.count() == 1
    assert "This may already be reported" in page
    assert f"Follow request {earlier.tracking_number} instead" in page
    assert "This photo is already attached" in page
    assert 'name="confirm_new" value="1"' in page


def test_sending_anyway_files_the_request_with_its_photo(signed_in, earlier, media):
    data = _form(signed_in, photos=[upload("hole.jpg", image_bytes("JPEG"))])
    page = signed_in.post(FORM, data).content.decode()
    kept = re.search(r'name="kept_photos" value="([^"]+)"', page)
    assert kept is not None
    again: dict[str, object] = {"photos": [], "kept_photos": kept.group(1), "confirm_new": "1"}

    response = signed_in.post(FORM, data | again)

    assert response.status_code == 302
    filed = ServiceRequest.objects.exclude(pk=earlier.pk).get()
    assert filed.photos.count() == 1


def test_following_the_earlier_request_instead_files_nothing(signed_in, citizen, earlier):
    signed_in.post(FORM, _form(signed_in))

    response = signed_in.post(f"/en/requests/{earlier.tracking_number}/follow/")

    assert response.status_code == 302
    assert ServiceRequest.objects.count() == 1
    assert Follower.objects.filter(service_request=earlier, user=citizen).exists()


def test_a_visitor_without_an_account_is_shown_the_earlier_request(client, earlier):
    page = client.post(FORM, _form(client, contact_email="n@example.org")).content.decode()

    assert f'href="/en/requests/{earlier.tracking_number}/"' in page
    assert "Follow request" not in page


def test_a_different_problem_elsewhere_is_filed_at_once(signed_in, earlier):
    response = signed_in.post(FORM, _form(signed_in, latitude="45.53", longitude="-73.55"))

    assert response.status_code == 302
    assert ServiceRequest.objects.count() == 2


def test_requests_of_sensitive_services_are_never_offered(signed_in, pothole, earlier):
    pothole.is_sensitive = True
    pothole.save()

    response = signed_in.post(FORM, _form(signed_in))

    assert response.status_code == 302
    assert ServiceRequest.objects.count() == 2
