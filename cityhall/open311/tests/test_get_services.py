import pytest

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.open311.tests.contract import (
    json_example_shape,
    json_shape,
    parse_xml,
    xml_example_shape,
    xml_shape,
)


def test_services_xml_has_the_examples_elements(client, pothole):
    ServiceFactory(code="graffiti")

    response = client.get("/open311/v2/services.xml")

    assert response.status_code == 200
    document = parse_xml(response.content)
    assert document.tag == "services"
    assert xml_shape(document) == xml_example_shape("service-list.xml")


def test_services_json_is_an_array_with_codes_as_strings(client, pothole):
    response = client.get("/open311/v2/services.json")

    body = response.json()
    assert json_shape(body) == json_example_shape("service-list.json")
    assert body == [
        {
            "service_code": "pothole",
            "service_name": "Pothole",
            "description": "A service of the city.",
            "metadata": True,
            "type": "realtime",
            "keywords": "road, hole",
            "group": pothole.topic.name_en,
        }
    ]


def test_names_follow_lang_then_accept_language(client, pothole):
    by_parameter = client.get("/open311/v2/services.json?lang=fr").json()
    by_header = client.get("/open311/v2/services.json", HTTP_ACCEPT_LANGUAGE="fr-CA").json()

    assert by_parameter[0]["service_name"] == "Nid-de-poule"
    assert by_parameter[0]["keywords"] == "rue, trou"
    assert by_header[0]["service_name"] == "Nid-de-poule"


@pytest.mark.parametrize("locale", ["fr", "fr_CA", "fr-CA"])
def test_names_follow_the_locale_parameter_too(client, pothole, locale):
    body = client.get(f"/open311/v2/services.json?locale={locale}").json()

    assert body[0]["service_name"] == "Nid-de-poule"


def test_an_unknown_locale_is_a_400_in_the_open311_format(client, db):
    response = client.get("/open311/v2/services.json?locale=de_DE")

    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_an_unknown_lang_is_a_400(client, db):
    response = client.get("/open311/v2/services.json?lang=de")

    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_unlisted_and_closed_services_are_left_out(client, db):
    ServiceFactory(code="old", is_active=False)
    ServiceFactory(code="paused", accepts_requests=False)
    ServiceFactory(code="open")

    body = client.get("/open311/v2/services.json").json()

    assert [service["service_code"] for service in body] == ["open"]


def test_a_service_without_public_fields_has_no_metadata(client, db):
    ServiceFactory(code="plain")

    body = client.get("/open311/v2/services.json").json()

    assert body[0]["metadata"] is False


def test_an_unchanged_list_is_a_304_by_etag_and_says_when_it_changed(client, pothole):
    first = client.get("/open311/v2/services.json")

    again = client.get("/open311/v2/services.json", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Cache-Control"] == "public, max-age=60"
    assert "Accept-Language" in first["Vary"]
    assert first["Last-Modified"]
    assert again.status_code == 304


def test_a_removed_service_is_noticed_even_by_a_client_sending_only_a_date(client, pothole):
    ServiceFactory(code="graffiti")
    first = client.get("/open311/v2/services.json")
    pothole.delete()

    again = client.get("/open311/v2/services.json", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 200
    assert [service["service_code"] for service in again.json()] == ["graffiti"]


def test_a_changed_list_gets_a_new_etag(client, pothole):
    first = client.get("/open311/v2/services.json")
    pothole.name_en = "Road hole"
    pothole.save()

    second = client.get("/open311/v2/services.json", HTTP_IF_NONE_MATCH=first["ETag"])

    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]


def test_a_jurisdiction_other_than_the_citys_is_refused(client, db, settings):
    settings.OPEN311_JURISDICTION_ID = "city.example"

    ours = client.get("/open311/v2/services.json?jurisdiction_id=city.example")
    other = client.get("/open311/v2/services.json?jurisdiction_id=elsewhere.example")

    assert ours.status_code == 200
    assert other.status_code == 404
    assert "jurisdiction_id" in other.json()[0]["description"]


def test_posting_to_services_is_refused(client, db):
    response = client.post("/open311/v2/services.json")

    assert response.status_code == 405


def test_the_list_reads_a_fixed_number_of_queries(client, pothole, django_assert_max_num_queries):
    ServiceFactory(code="graffiti")

    with django_assert_max_num_queries(4):
        response = client.get("/open311/v2/services.xml")

    assert response.status_code == 200


def test_head_answers_like_get_without_a_body(client, pothole):
    response = client.head("/open311/v2/services.json")

    assert response.status_code == 200
    assert response["ETag"]
