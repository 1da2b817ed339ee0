"""Anyone finds a request's status page by its tracking number, without an account."""

import pytest

from cityhall.servicerequests.tests.factories import ServiceRequestFactory

TRACK = "/en/requests/track/"


@pytest.fixture
def filed(citizen):
    return ServiceRequestFactory(reporter=citizen, tracking_number="RAS-26-000042")


def test_the_page_asks_for_a_tracking_number_without_signing_in(client, db):
    response = client.get(TRACK)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Track a request</h1>" in page
    assert 'name="number"' in page
    assert "There is a problem" not in page


def test_a_known_number_leads_to_its_status_page_whatever_its_case(client, filed):
    response = client.get(TRACK, {"number": "  ras-26-000042 "})

    assert response.status_code == 302
    assert response["Location"] == "/en/requests/RAS-26-000042/"


def test_a_french_lookup_leads_to_the_french_status_page(client, filed):
    response = client.get("/fr/requests/track/", {"number": "RAS-26-000042"})

    assert response["Location"] == "/fr/requests/RAS-26-000042/"


def test_an_unknown_number_is_said_plainly_with_the_number_kept(client, filed):
    response = client.get(TRACK, {"number": "RAS-26-999999"})

    page = response.content.decode()
    assert response.status_code == 404
    assert "<title>Error:" in page
    assert 'class="error-summary"' in page
    assert "No request has the tracking number RAS-26-999999." in page
    assert 'href="#id_number"' in page
    assert 'value="RAS-26-999999"' in page


def test_an_empty_number_asks_for_one(client, db):
    response = client.get(TRACK, {"number": "  "})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the tracking number of the request." in page


def test_a_lookup_reads_one_query(client, filed, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(TRACK, {"number": "RAS-26-000042"})


def test_an_unknown_number_in_a_status_address_offers_the_lookup(client, db):
    response = client.get("/en/requests/RAS-26-999999/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "No request has the tracking number RAS-26-999999." in page
    assert 'action="/en/requests/track/"' in page
