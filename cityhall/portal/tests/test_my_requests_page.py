from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

MY_REQUESTS = "/en/requests/"


def test_my_requests_lists_the_citizens_own_requests_with_their_status(
    client, citizen, other_citizen
):
    ServiceRequestFactory(
        reporter=citizen, tracking_number="RAS-26-000001", status=ServiceRequest.Status.ON_HOLD
    )
    ServiceRequestFactory(reporter=other_citizen, tracking_number="RAS-26-000002")
    client.force_login(citizen)

    page = client.get(MY_REQUESTS).content.decode()

    assert "/en/requests/RAS-26-000001/" in page
    assert "On hold" in page
    assert "RAS-26-000002" not in page


def test_my_requests_needs_a_signed_in_citizen(client, db):
    response = client.get(MY_REQUESTS)

    assert response.status_code == 302
    assert "/sign-in/" in response.url


def test_my_requests_reads_a_bounded_number_of_queries(
    client, citizen, django_assert_max_num_queries
):
    for _ in range(25):
        ServiceRequestFactory(reporter=citizen)
    client.force_login(citizen)

    with django_assert_max_num_queries(6):
        response = client.get(MY_REQUESTS)

    assert response.status_code == 200
