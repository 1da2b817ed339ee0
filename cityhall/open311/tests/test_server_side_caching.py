import pytest
from django.db import transaction

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.testing import require_or_skip, server_is_listening
from cityhall.servicerequests.tests.factories import ServiceRequestFactory, StatusChangeFactory

SERVICES = "/open311/v2/services.json"
REQUESTS = "/open311/v2/requests.json"


def codes(response):
    return [service["service_code"] for service in response.json()]


def test_a_repeated_services_get_reads_nothing_from_the_database(
    client, pothole, django_assert_num_queries
):
    first = client.get(SERVICES)

    with django_assert_num_queries(0):
        again = client.get(SERVICES)

    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]


def test_a_repeated_filtered_requests_get_reads_nothing_from_the_database(
    client, pothole, django_assert_num_queries
):
    ServiceRequestFactory(service=pothole)
    query = {"service_code": "pothole", "status": "open"}
    first = client.get(REQUESTS, query)

    with django_assert_num_queries(0):
        again = client.get(REQUESTS, dict(reversed(query.items())))

    assert again.content == first.content


def test_a_new_service_shows_in_the_next_answer(client, pothole):
    client.get(SERVICES)
    client.get("/open311/v2/services/pothole.json")

    ServiceFactory(code="graffiti")
    pothole.fields.get(code="size").delete()

    assert codes(client.get(SERVICES)) == ["graffiti", "pothole"]
    definition = client.get("/open311/v2/services/pothole.json").json()
    assert [attribute["code"] for attribute in definition["attributes"]] == ["lanes"]


def test_a_renamed_service_shows_in_the_requests_that_name_it(client, pothole):
    ServiceRequestFactory(service=pothole)
    client.get(REQUESTS)

    pothole.name_en = "Road hole"
    pothole.save()

    assert client.get(REQUESTS).json()[0]["service_name"] == "Road hole"


def test_a_new_request_and_a_new_step_show_in_the_next_answer(client, pothole):
    service_request = ServiceRequestFactory(service=pothole)
    url = f"/open311/v2/requests/{service_request.tracking_number}.json"
    assert len(client.get(REQUESTS).json()) == 1
    client.get(url)

    ServiceRequestFactory(service=pothole)
    StatusChangeFactory(service_request=service_request, public_note="Crew sent.")

    assert len(client.get(REQUESTS).json()) == 2
    assert client.get(url).json()[0]["status_notes"].endswith("Crew sent.")


def test_a_deleted_request_leaves_the_next_answer(client, pothole):
    service_request = ServiceRequestFactory(service=pothole)
    client.get(REQUESTS)

    service_request.delete()

    assert client.get(REQUESTS).json() == []


def test_each_language_format_and_host_has_its_own_answer(client, pothole, settings):
    settings.ALLOWED_HOSTS = ["testserver", "open311.example.org"]
    english = client.get(SERVICES)
    french = client.get(SERVICES, HTTP_ACCEPT_LANGUAGE="fr")
    xml = client.get("/open311/v2/services.xml")
    discovery_here = client.get("/open311/v2/discovery.json")
    discovery_there = client.get("/open311/v2/discovery.json", HTTP_HOST="open311.example.org")

    assert english.json()[0]["service_name"] == "Pothole"
    assert french.json()[0]["service_name"] == "Nid-de-poule"
    assert xml.content.startswith(b"<?xml")
    assert discovery_here.json()["endpoints"][0]["url"].startswith("http://testserver/")
    assert discovery_there.json()["endpoints"][0]["url"].startswith("http://open311.example.org/")


def test_errors_are_not_stored(client, db):
    assert client.get("/open311/v2/services/graffiti.json").status_code == 404

    ServiceFactory(code="graffiti")

    assert client.get("/open311/v2/services/graffiti.json").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_a_transaction_shows_after_it(client, pothole):
    client.get(SERVICES)

    with transaction.atomic():
        ServiceFactory(code="graffiti")

    assert codes(client.get(SERVICES)) == ["graffiti", "pothole"]


@pytest.mark.redis
@pytest.mark.xdist_group("redis")
def test_answers_are_shared_through_redis(client, pothole, settings, django_assert_num_queries):
    require_or_skip(
        server_is_listening("127.0.0.1", 6379), "Redis is not listening on 127.0.0.1:6379"
    )
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": "open311-tests",
        },
    }
    first = client.get(SERVICES)
    with django_assert_num_queries(0):
        cached = client.get(SERVICES)

    ServiceFactory(code="graffiti")

    assert cached.content == first.content
    assert codes(client.get(SERVICES)) == ["graffiti", "pothole"]


def test_parameters_no_answer_depends_on_share_one_entry(
    client, pothole, django_assert_num_queries
):
    client.get(SERVICES, {"_": "1"})

    with django_assert_num_queries(0):
        client.get(SERVICES, {"_": "2", "api_key": "ignored"})
