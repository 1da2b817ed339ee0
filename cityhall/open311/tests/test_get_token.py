import uuid

from cityhall.open311.tests.contract import (
    json_example_shape,
    json_shape,
    parse_xml,
    xml_example_shape,
    xml_shape,
)
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


def test_the_token_from_a_post_gives_the_request_id(client, pothole, open311_key):
    posted = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": open311_key,
            "service_code": "pothole",
            "lat": "45.5",
            "long": "-73.6",
            "description": "A deep pothole in front of the school.",
            "attribute[size]": "small",
        },
    ).json()[0]

    as_json = client.get(f"/open311/v2/tokens/{posted['token']}.json")
    as_xml = client.get(f"/open311/v2/tokens/{posted['token']}.xml")

    assert as_json.json() == [
        {"service_request_id": posted["service_request_id"], "token": posted["token"]}
    ]
    assert json_shape(as_json.json()) == json_example_shape("request-from-token.json")
    assert xml_shape(parse_xml(as_xml.content)) == xml_example_shape("request-from-token.xml")


def test_an_unknown_or_malformed_token_is_a_404(client, db):
    unknown = client.get(f"/open311/v2/tokens/{uuid.uuid4()}.json")
    malformed = client.get("/open311/v2/tokens/12345.json")

    assert unknown.status_code == 404
    assert malformed.status_code == 404
    assert unknown.json()[0]["code"] == 404
    assert malformed.json()[0]["description"] == "Unknown token 12345."


def test_requests_filed_elsewhere_have_no_token(client, pothole):
    service_request = ServiceRequestFactory(service=pothole, channel=ServiceRequest.Channel.PORTAL)

    response = client.get(f"/open311/v2/tokens/{service_request.public_id}.json")

    assert response.status_code == 404
