from __future__ import annotations

import pytest

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.errors import InvalidInput
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import ClientDetails, submit_service_request


@pytest.fixture
def graffiti(db):
    return ServiceFactory(code="graffiti", allows_anonymous=True)


def submit(service, client):
    return submit_service_request(
        reporter=None,
        service=service,
        description="Graffiti on the library wall.",
        answers={},
        location=None,
        channel=ServiceRequest.Channel.OPEN311,
        client=client,
    )


def test_client_details_are_stored_on_the_request(graffiti):
    client = ClientDetails(
        device_id=" phone-42 ", account_id="acct-7", media_url="https://img.example/p.jpg"
    )

    service_request = submit(graffiti, client)

    service_request.refresh_from_db()
    assert service_request.device_id == "phone-42"
    assert service_request.external_account_id == "acct-7"
    assert service_request.media_url == "https://img.example/p.jpg"


def test_without_client_details_the_fields_stay_empty(graffiti):
    service_request = submit(graffiti, None)

    assert (service_request.device_id, service_request.external_account_id) == ("", "")
    assert service_request.media_url == ""


@pytest.mark.parametrize(
    "media_url", ["ftp://img.example/p.jpg", "/relative/p.jpg", "javascript:alert(1)", "img"]
)
def test_a_media_url_must_be_an_absolute_web_address(graffiti, media_url):
    with pytest.raises(InvalidInput) as error:
        submit(graffiti, ClientDetails(media_url=media_url))

    assert list(error.value.fields) == ["media_url"]
    assert not ServiceRequest.objects.exists()


def test_overlong_client_details_are_refused_by_field(graffiti):
    client = ClientDetails(
        device_id="d" * 101,
        account_id="a" * 101,
        media_url="https://img.example/" + "p" * 1000,
    )

    with pytest.raises(InvalidInput) as error:
        submit(graffiti, client)

    assert set(error.value.fields) == {"device_id", "account_id", "media_url"}
