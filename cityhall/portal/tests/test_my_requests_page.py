from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.factories import FollowerFactory, ServiceRequestFactory

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

    # One more than the page's own: whether a crisis alert is current (then cached).
    with django_assert_max_num_queries(7):
        response = client.get(MY_REQUESTS)

    assert response.status_code == 200


def test_following_lists_the_requests_the_citizen_follows_and_not_those_filed(
    client, citizen, other_citizen
):
    ServiceRequestFactory(reporter=citizen, tracking_number="RAS-26-000011")
    followed = ServiceRequestFactory(reporter=other_citizen, tracking_number="RAS-26-000012")
    FollowerFactory(service_request=followed, user=citizen)
    client.force_login(citizen)

    filed_page = client.get(MY_REQUESTS).content.decode()
    following_page = client.get(MY_REQUESTS + "?show=following").content.decode()

    assert "RAS-26-000011" in filed_page
    assert "RAS-26-000012" not in filed_page
    assert "/en/requests/RAS-26-000012/" in following_page
    assert "RAS-26-000011" not in following_page


def test_the_two_lists_are_links_that_say_which_one_is_shown(client, citizen):
    client.force_login(citizen)

    filed_page = client.get(MY_REQUESTS).content.decode()
    following_page = client.get(MY_REQUESTS + "?show=following").content.decode()

    assert '<a href="?show=filed" aria-current="page">Filed by me</a>' in filed_page
    assert '<a href="?show=following">Following</a>' in filed_page
    assert '<a href="?show=following" aria-current="page">Following</a>' in following_page
    assert "You do not follow any request." in following_page


def test_the_following_list_reads_a_bounded_number_of_queries(
    client, citizen, django_assert_max_num_queries
):
    for _ in range(25):
        FollowerFactory(user=citizen)
    client.force_login(citizen)

    # One more than the page's own: whether a crisis alert is current (then cached).
    with django_assert_max_num_queries(7):
        response = client.get(MY_REQUESTS + "?show=following")

    assert response.status_code == 200
    assert response.content.decode().count("/en/requests/TST-") == 25


def test_my_requests_offers_to_track_any_request_by_its_number(client, citizen):
    client.force_login(citizen)

    page = client.get(MY_REQUESTS).content.decode()

    assert 'action="/en/requests/track/"' in page


def test_the_status_comes_right_after_the_number_so_a_phone_shows_it_first(client, citizen):
    ServiceRequestFactory(
        reporter=citizen,
        tracking_number="RAS-26-000001",
        status=ServiceRequest.Status.ON_HOLD,
        service__name_en="Pothole",
    )
    client.force_login(citizen)

    page = client.get(MY_REQUESTS).content.decode()

    row = page[page.index("RAS-26-000001") :]
    assert row.index("On hold") < row.index("Pothole")
