"""Staff see a request's photos on its page, if they may handle the request."""

from __future__ import annotations

from pathlib import Path

import pytest

from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import ClientDetails, submit_service_request
from cityhall.servicerequests.tests.photo_files import image_bytes, upload, use_temporary_media

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def filed(settings, tmp_path, citizen, agent, django_capture_on_commit_callbacks):
    """A filed request whose photo the worker has cleaned (its task runs at commit)."""
    use_temporary_media(settings, tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        return submit_service_request(
            reporter=citizen,
            service=ServiceFactory(code="pothole", department__code="public-works"),
            description="A deep pothole by the school gate.",
            answers={},
            location=None,
            channel=ServiceRequest.Channel.PORTAL,
            photos=[upload("a.jpg", image_bytes("JPEG"))],
            client=ClientDetails(media_url="https://app.example/p/1.jpg"),
        )


def _url(photo):
    return f"/en/staff/request-photos/{photo.public_id}/"


def test_an_agent_of_the_department_sees_the_photo_on_the_request_page(client, agent, filed):
    sign_in_with_two_factor(client, agent)
    photo = filed.photos.get()

    page = client.get(f"/en/staff/requests/{filed.public_id}/").content.decode()
    response = client.get(_url(photo))

    assert f'src="{_url(photo)}"' in page
    assert 'href="https://app.example/p/1.jpg"' in page
    assert response.status_code == 200
    assert response.content == Path(photo.image.path).read_bytes()
    assert "private" in response["Cache-Control"]


def test_an_agent_of_another_department_gets_not_found(client, outside_agent, filed):
    sign_in_with_two_factor(client, outside_agent)

    assert client.get(_url(filed.photos.get())).status_code == 404


def test_a_city_admin_sees_any_photo(client, admin, filed):
    sign_in_with_two_factor(client, admin)

    assert client.get(_url(filed.photos.get())).status_code == 200


def test_staff_without_two_factor_are_sent_to_sign_in(client, agent, filed):
    client.force_login(agent)

    response = client.get(_url(filed.photos.get()))

    assert response.status_code == 302
    assert "/staff/sign-in/" in response["Location"]


def test_the_reporter_cannot_use_the_staff_address(client, citizen, filed):
    client.force_login(citizen)

    assert client.get(_url(filed.photos.get())).status_code != 200
