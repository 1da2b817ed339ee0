from cityhall.open311.tests.contract import (
    json_example_shape,
    json_shape,
    parse_xml,
    xml_example_shape,
    xml_shape,
)


def test_discovery_xml_has_the_examples_elements(client, db):
    response = client.get("/open311/v2/discovery.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    document = parse_xml(response.content)
    assert document.tag == "discovery"
    assert xml_shape(document) == {**xml_example_shape("discovery.xml"), "privacy": None}


def test_discovery_json_has_the_examples_keys_and_points_at_this_endpoint(client, db):
    response = client.get("/open311/v2/discovery.json")

    assert response.status_code == 200
    body = response.json()
    assert json_shape(body) == {**json_example_shape("discovery.json"), "privacy": None}
    assert body["endpoints"][0]["url"] == "http://testserver/open311/v2"
    assert body["endpoints"][0]["formats"] == ["text/xml", "application/json"]


def test_an_unknown_format_is_a_400_in_xml(client, db):
    response = client.get("/open311/v2/discovery.csv")

    assert response.status_code == 400
    document = parse_xml(response.content)
    assert document.tag == "errors"
    assert document.findtext("error/code") == "400"


def test_the_root_serves_discovery_in_xml(client, db):
    response = client.get("/open311/v2/")

    assert response.status_code == 200
    assert parse_xml(response.content).tag == "discovery"


def test_discovery_says_which_request_fields_are_never_published(client, db):
    body = client.get("/open311/v2/discovery.json?lang=fr").json()

    assert "description" in body["privacy"]
    assert "jamais" in body["privacy"]
