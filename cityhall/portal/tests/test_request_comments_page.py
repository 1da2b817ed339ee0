import pytest

from cityhall.servicerequests.models import Comment
from cityhall.servicerequests.services import add_comment
from cityhall.servicerequests.tests.factories import FollowerFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(citizen):
    return ServiceRequestFactory(reporter=citizen, tracking_number="RAS-26-000077")


URL = "/en/requests/RAS-26-000077/"


def test_the_reporter_sends_a_comment_and_reads_it_back(client, citizen, filed):
    client.force_login(citizen)

    response = client.post(URL, {"comment-body": "The hole got bigger."})

    assert response.status_code == 302
    assert response["Location"] == f"{URL}#comments"
    page = client.get(URL).content.decode()
    assert "Your comment is sent to the city&#x27;s staff." in page
    assert "The hole got bigger." in page
    assert Comment.objects.get().author == citizen


def test_a_blank_comment_comes_back_with_the_error_next_to_the_field(client, citizen, filed):
    client.force_login(citizen)

    response = client.post(URL, {"comment-body": "  "})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert "Write your comment." in page
    assert not Comment.objects.exists()


def test_a_follower_sees_their_comment_but_not_the_reporters(client, citizen, other_citizen, filed):
    FollowerFactory(service_request=filed, user=other_citizen)
    add_comment(service_request=filed, author=citizen, body="Reporter's private words.")
    client.force_login(other_citizen)

    client.post(URL, {"comment-body": "Same on my street."})

    page = client.get(URL).content.decode()
    assert "Same on my street." in page
    assert "Reporter&#x27;s private words." not in page


def test_visitors_neither_read_comments_nor_get_the_form(client, other_citizen, citizen, filed):
    add_comment(service_request=filed, author=citizen, body="Reporter's private words.")
    client.force_login(other_citizen)

    page = client.get(URL).content.decode()

    assert "private words" not in page
    assert 'name="comment-body"' not in page


def test_a_visitor_posting_anyway_is_refused(client, other_citizen, filed):
    client.force_login(other_citizen)

    response = client.post(URL, {"comment-body": "Let me in."})

    assert response.status_code == 200
    assert "Only the person who filed a request and its followers" in response.content.decode()
    assert not Comment.objects.exists()


def test_an_anonymous_status_page_stays_as_cheap_as_before(
    client, filed, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200


def test_a_follower_is_told_that_the_reporter_reads_their_comment_without_their_name(
    client, other_citizen, filed
):
    FollowerFactory(service_request=filed, user=other_citizen)
    client.force_login(other_citizen)

    page = client.get(URL).content.decode()

    assert "The city&#x27;s staff read it, and so does the person who filed the request" in page
    assert "without your name" in page
    assert "Only the city&#x27;s staff and the person who filed the request read it." not in page


def test_the_reporter_is_told_that_only_staff_read_their_comment(client, citizen, filed):
    client.force_login(citizen)

    page = client.get(URL).content.decode()

    assert "Only the city&#x27;s staff read it; followers do not." in page
