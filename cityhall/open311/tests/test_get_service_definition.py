from cityhall.open311.tests.contract import (
    json_example_shape,
    json_shape,
    parse_xml,
    xml_example_shape,
    xml_shape,
)


def test_definition_xml_has_the_examples_elements(client, pothole):
    response = client.get("/open311/v2/services/pothole.xml")

    assert response.status_code == 200
    document = parse_xml(response.content)
    assert document.tag == "service_definition"
    assert xml_shape(document) == xml_example_shape("service-definition.xml")


def test_definition_json_is_one_object_with_public_attributes_only(client, pothole):
    body = client.get("/open311/v2/services/pothole.json").json()

    assert json_shape(body) == json_example_shape("service-definition.json")
    assert [attribute["code"] for attribute in body["attributes"]] == ["size", "lanes"]
    assert body["attributes"][0] == {
        "variable": True,
        "code": "size",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": None,
        "order": 1,
        "description": "How big is it?",
        "values": [{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}],
    }
    assert body["attributes"][1]["datatype"] == "multivaluelist"


def test_definition_speaks_french_on_request(client, pothole):
    body = client.get("/open311/v2/services/pothole.json?lang=fr").json()

    assert body["attributes"][0]["description"] == "Quelle taille?"
    assert body["attributes"][0]["values"][0]["name"] == "Petit"


def test_an_unknown_service_code_is_a_404_in_the_specs_error_shape(client, db):
    as_json = client.get("/open311/v2/services/nothing.json")
    as_xml = client.get("/open311/v2/services/nothing.xml")

    assert as_json.status_code == 404
    assert json_shape(as_json.json()) == json_example_shape("errors.json")
    assert as_json.json() == [{"code": 404, "description": "Unknown service_code nothing."}]
    assert as_xml.status_code == 404
    assert xml_shape(parse_xml(as_xml.content)) == xml_example_shape("errors.xml")


def test_an_unchanged_definition_is_a_304(client, pothole):
    first = client.get("/open311/v2/services/pothole.xml")

    again = client.get("/open311/v2/services/pothole.xml", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
