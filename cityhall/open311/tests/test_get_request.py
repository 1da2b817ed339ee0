from cityhall.open311.tests.contract import (
    json_example_shape,
    json_shape,
    parse_xml,
    xml_example_shape,
    xml_shape,
)
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


def test_one_request_xml_has_the_examples_elements(client, pothole):
    service_request = ServiceRequestFactory(service=pothole, latitude=45.5, longitude=-73.6)

    response = client.get(f"/open311/v2/requests/{service_request.tracking_number}.xml")

    assert response.status_code == 200
    assert xml_shape(parse_xml(response.content)) == xml_example_shape("service-request.xml")


def test_one_request_json_is_an_array_of_one(client, pothole):
    service_request = ServiceRequestFactory(service=pothole)

    response = client.get(f"/open311/v2/requests/{service_request.tracking_number}.json")

    body = response.json()
    assert json_shape(body) == json_example_shape("service-request.json")
    assert body[0]["service_request_id"] == service_request.tracking_number
    assert body[0]["status"] == "open"
    assert body[0]["status_notes"] == "Submitted"


def test_one_request_holds_no_personal_data_and_a_coarse_sensitive_point(client, pothole):
    pothole.is_sensitive = True
    pothole.save()
    service_request = ServiceRequestFactory(
        service=pothole,
        contact_name="Secret Person",
        contact_email="secret@example.org",
        description="Secret Person lives here.",
        address_text="12 Hidden Lane",
        latitude=45.512345,
        longitude=-73.591234,
    )

    response = client.get(f"/open311/v2/requests/{service_request.tracking_number}.json")

    assert "Secret" not in response.content.decode()
    assert "Hidden" not in response.content.decode()
    assert (response.json()[0]["lat"], response.json()[0]["long"]) == (45.512, -73.591)


def test_an_unknown_id_is_a_404_in_the_specs_error_shape(client, db):
    as_json = client.get("/open311/v2/requests/NOPE-1.json")
    as_xml = client.get("/open311/v2/requests/NOPE-1.xml")

    assert as_json.status_code == 404
    assert as_json.json()[0]["description"] == "Unknown service_request_id NOPE-1."
    assert json_shape(as_json.json()) == json_example_shape("errors.json")
    assert as_xml.status_code == 404
    assert xml_shape(parse_xml(as_xml.content)) == xml_example_shape("errors.xml")
