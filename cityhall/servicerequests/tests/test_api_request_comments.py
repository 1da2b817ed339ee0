"""Citizens' comments through /api/v1/requests/{tracking_number}/comments."""

import pytest
from rest_framework.test import APIClient

from cityhall.core.models import AuditEvent
from cityhall.servicerequests.models import Comment
from cityhall.servicerequests.services import add_comment
from cityhall.servicerequests.tests.factories import FollowerFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/requests/RAS-26-000090/comments"


@pytest.fixture
def filed(citizen):
    return ServiceRequestFactory(reporter=citizen, tracking_number="RAS-26-000090")


def _as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_reporter_comments_and_lists_the_conversation(citizen, other_citizen, filed):
    FollowerFactory(service_request=filed, user=other_citizen)
    add_comment(service_request=filed, author=other_citizen, body="Me too.")

    created = _as(citizen).post(URL, {"body": "It is getting worse."}, format="json")
    listed = _as(citizen).get(URL)

    assert created.status_code == 201
    assert created.json()["body"] == "It is getting worse."
    assert created.json()["is_own"] is True
    body = listed.json()
    assert body["can_comment"] is True
    assert [(c["body"], c["is_own"]) for c in body["comments"]] == [
        ("Me too.", False),
        ("It is getting worse.", True),
    ]
    assert AuditEvent.objects.filter(actor=citizen, action="servicerequests.commented").exists()


def test_a_follower_reads_only_their_own_comments(citizen, other_citizen, filed):
    FollowerFactory(service_request=filed, user=other_citizen)
    add_comment(service_request=filed, author=citizen, body="Reporter's words.")

    _as(other_citizen).post(URL, {"body": "Follower's words."}, format="json")
    listed = _as(other_citizen).get(URL).json()

    assert [c["body"] for c in listed["comments"]] == ["Follower's words."]


def test_someone_else_reads_nothing_and_cannot_comment(citizen, other_citizen, filed):
    add_comment(service_request=filed, author=citizen, body="Reporter's words.")

    listed = _as(other_citizen).get(URL)
    refused = _as(other_citizen).post(URL, {"body": "Let me in."}, format="json")

    assert listed.json() == {"can_comment": False, "comments": []}
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert Comment.objects.count() == 1


def test_a_blank_or_overlong_comment_is_a_400_on_its_field(citizen, filed):
    blank = _as(citizen).post(URL, {"body": "   "}, format="json")
    too_long = _as(citizen).post(URL, {"body": "x" * 2001}, format="json")

    assert blank.status_code == too_long.status_code == 400
    assert "body" in blank.json()["error"]["fields"]
    assert "body" in too_long.json()["error"]["fields"]
    assert not Comment.objects.exists()


def test_an_unknown_number_is_a_404_and_anonymous_callers_a_401(citizen, filed):
    unknown = _as(citizen).get("/api/v1/requests/RAS-26-999999/comments")
    anonymous = APIClient().get(URL)

    assert unknown.status_code == 404
    assert anonymous.status_code == 401
