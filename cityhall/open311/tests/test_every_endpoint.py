"""What every GeoReport v2 endpoint does alike in each format: types, roots, errors."""

import pytest

from cityhall.open311.tests.contract import parse_xml
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

#: Each GET endpoint (a path template without its extension) and the XML root it answers with.
ENDPOINTS = {
    "discovery": "discovery",
    "services": "services",
    "services/pothole": "service_definition",
    "requests": "service_requests",
    "requests/{number}": "service_requests",
    "tokens/{token}": "service_requests",
}


@pytest.fixture
def urls(pothole):
    service_request = ServiceRequestFactory(service=pothole, channel=ServiceRequest.Channel.OPEN311)
    values = {"number": service_request.tracking_number, "token": service_request.public_id}
    return {path: "/open311/v2/" + path.format(**values) for path in ENDPOINTS}


@pytest.mark.parametrize("path", ENDPOINTS)
def test_json_answers_are_json(client, urls, path):
    response = client.get(urls[path] + ".json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()


@pytest.mark.parametrize("path", ENDPOINTS)
def test_xml_answers_are_xml_with_the_specs_root(client, urls, path):
    response = client.get(urls[path] + ".xml")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert parse_xml(response.content).tag == ENDPOINTS[path]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_foreign_jurisdiction_is_a_404_in_the_asked_format(client, urls, settings, path, fmt):
    settings.OPEN311_JURISDICTION_ID = "city.example"

    ours = client.get(f"{urls[path]}.{fmt}", {"jurisdiction_id": "city.example"})
    other = client.get(f"{urls[path]}.{fmt}", {"jurisdiction_id": "elsewhere.example"})

    assert ours.status_code == 200
    assert other.status_code == 404
    if fmt == "json":
        assert other.json() == [
            {"code": 404, "description": "Unknown jurisdiction_id elsewhere.example."}
        ]
    else:
        assert parse_xml(other.content).findtext("error/code") == "404"


@pytest.mark.parametrize("path", ENDPOINTS)
def test_an_unknown_format_is_a_400_in_xml(client, urls, path):
    response = client.get(urls[path] + ".html")

    assert response.status_code == 400
    assert parse_xml(response.content).findtext("error/description") == (
        "Unknown format html; use json or xml."
    )


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_answer_may_vary_by_language(client, urls, path):
    response = client.get(urls[path] + ".json")

    assert "Accept-Language" in response["Vary"]
