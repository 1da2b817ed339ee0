"""Every JSON answer validates against the JSON Schemas behind validate.open311.org."""

import pytest

from cityhall.open311.tests.contract import schema_errors
from cityhall.servicerequests.tests.factories import ServiceRequestFactory, StatusChangeFactory


@pytest.fixture
def two_requests(pothole):
    located = ServiceRequestFactory(
        service=pothole, latitude=45.5, longitude=-73.6, media_url="https://example.org/1.jpg"
    )
    StatusChangeFactory(service_request=located, public_note="Crew sent.")
    return located, ServiceRequestFactory(service=pothole, latitude=None, longitude=None)


def test_the_service_list_validates(client, pothole):
    assert schema_errors(client.get("/open311/v2/services.json").json(), "services.json") == []


def test_the_service_definition_validates(client, pothole):
    body = client.get("/open311/v2/services/pothole.json").json()

    assert schema_errors(body, "service-definition.json") == []


@pytest.mark.parametrize("query", ["", "?extensions=true", "?status=open&service_code=pothole"])
def test_the_request_list_validates(client, two_requests, query):
    body = client.get(f"/open311/v2/requests.json{query}").json()

    assert len(body) == 2
    assert schema_errors(body, "requests.json") == []


def test_one_request_validates(client, two_requests):
    located, _unlocated = two_requests

    body = client.get(f"/open311/v2/requests/{located.tracking_number}.json").json()

    assert schema_errors(body, "requests.json") == []
    assert schema_errors(body[0], "request.json") == []
