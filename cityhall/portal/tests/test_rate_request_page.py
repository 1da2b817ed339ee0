import pytest
from django.utils import timezone

from cityhall.servicerequests.models import SatisfactionRating, ServiceRequest
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

Status = ServiceRequest.Status


@pytest.fixture
def resolved(citizen):
    return ServiceRequestFactory(
        reporter=citizen,
        tracking_number="RAS-26-000077",
        status=Status.RESOLVED,
        resolved_at=timezone.now(),
    )


RATE = "/en/requests/RAS-26-000077/rate/"


def test_the_reporter_rates_a_resolved_request_from_its_status_page(client, citizen, resolved):
    client.force_login(citizen)

    status_page = client.get("/en/requests/RAS-26-000077/").content.decode()
    response = client.post(RATE, {"score": "4", "comment": "Fast."})

    assert RATE in status_page
    assert response.status_code == 302
    rating = SatisfactionRating.objects.get(service_request=resolved)
    assert (rating.score, rating.comment) == (4, "Fast.")
    assert "You rated this request 4 out of 5." in client.get(RATE).content.decode()


def test_a_missing_score_is_explained_next_to_the_field(client, citizen, resolved):
    client.force_login(citizen)

    response = client.post(RATE, {"comment": "No score."})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a rating from 1 to 5." in page
    assert "<title>Error:" in page
    assert not SatisfactionRating.objects.exists()


def test_a_second_rating_is_not_offered_or_saved(client, citizen, resolved):
    client.force_login(citizen)
    client.post(RATE, {"score": "5"})

    client.post(RATE, {"score": "1"})

    assert SatisfactionRating.objects.get().score == 5


def test_an_open_request_cannot_be_rated_yet(client, citizen):
    ServiceRequestFactory(reporter=citizen, tracking_number="RAS-26-000078")
    client.force_login(citizen)

    response = client.post("/en/requests/RAS-26-000078/rate/", {"score": "3"})

    assert "You can rate the request once it is resolved." in response.content.decode()
    assert not SatisfactionRating.objects.exists()


def test_someone_else_gets_not_found(client, other_citizen, resolved):
    client.force_login(other_citizen)

    assert client.get(RATE).status_code == 404


def test_an_anonymous_visitor_is_asked_to_sign_in(client, resolved):
    response = client.get(RATE)

    assert response.status_code == 302
    assert "sign-in" in response["Location"]
