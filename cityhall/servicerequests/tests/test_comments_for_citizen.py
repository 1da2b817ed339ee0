import pytest
from django.contrib.auth.models import AnonymousUser

from cityhall.servicerequests.selectors import comments_for_citizen, comments_for_staff
from cityhall.servicerequests.services import add_comment
from cityhall.servicerequests.tests.factories import FollowerFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussed(citizen, other_citizen):
    service_request = ServiceRequestFactory(reporter=citizen, tracking_number="RAS-26-000007")
    FollowerFactory(service_request=service_request, user=other_citizen)
    add_comment(service_request=service_request, author=citizen, body="From the reporter.")
    add_comment(service_request=service_request, author=other_citizen, body="From a follower.")
    return service_request


def test_the_reporter_reads_every_comment_and_knows_which_are_theirs(discussed, citizen):
    seen = comments_for_citizen(tracking_number="ras-26-000007", user=citizen)

    assert seen.can_comment
    assert [(c.body, c.is_own) for c in seen.comments] == [
        ("From the reporter.", True),
        ("From a follower.", False),
    ]


def test_a_follower_reads_only_their_own_comments(discussed, other_citizen):
    seen = comments_for_citizen(tracking_number=discussed.tracking_number, user=other_citizen)

    assert seen.can_comment
    assert [c.body for c in seen.comments] == ["From a follower."]


@pytest.mark.parametrize("who", ["agent", "partner"])
def test_comments_are_not_public(discussed, request, who):
    user = request.getfixturevalue(who)

    seen = comments_for_citizen(tracking_number=discussed.tracking_number, user=user)

    assert seen.comments == []
    assert not seen.can_comment


def test_an_anonymous_visitor_reads_nothing_without_a_query(discussed, django_assert_num_queries):
    with django_assert_num_queries(0):
        seen = comments_for_citizen(tracking_number=discussed.tracking_number, user=AnonymousUser())

    assert seen.comments == []


def test_staff_read_every_comment_with_its_author(discussed, citizen, other_citizen):
    comments = list(comments_for_staff(service_request=discussed))

    assert [c.author for c in comments] == [citizen, other_citizen]
