import pytest

from cityhall.core.errors import InvalidInput, PermissionDenied
from cityhall.core.models import AuditEvent
from cityhall.notifications.models import Notification, Template
from cityhall.servicerequests.models import Comment
from cityhall.servicerequests.services import COMMENT_MAX_LENGTH, add_comment
from cityhall.servicerequests.tests.factories import FollowerFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def service_request(citizen):
    return ServiceRequestFactory(reporter=citizen)


def test_the_reporter_comments_and_the_comment_is_audited(service_request, citizen):
    comment = add_comment(service_request=service_request, author=citizen, body="  Still there.  ")

    assert comment.body == "Still there."
    assert comment.author == citizen
    assert AuditEvent.objects.filter(
        actor=citizen, action="servicerequests.commented", target_id=str(service_request.public_id)
    ).exists()


def test_a_follower_may_comment(service_request, other_citizen):
    FollowerFactory(service_request=service_request, user=other_citizen)

    add_comment(service_request=service_request, author=other_citizen, body="Me too.")

    assert Comment.objects.get().author == other_citizen


@pytest.mark.parametrize("who", ["other_citizen", "agent", "partner"])
def test_anyone_else_is_refused(service_request, request, who):
    with pytest.raises(PermissionDenied):
        add_comment(service_request=service_request, author=request.getfixturevalue(who), body="Hi")

    assert not Comment.objects.exists()


def test_an_anonymous_visitor_is_refused(service_request):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        add_comment(service_request=service_request, author=AnonymousUser(), body="Hi")


@pytest.mark.parametrize("body", ["", "   \n ", "x" * (COMMENT_MAX_LENGTH + 1)])
def test_a_blank_or_overlong_comment_is_refused_on_its_field(service_request, citizen, body):
    with pytest.raises(InvalidInput) as refused:
        add_comment(service_request=service_request, author=citizen, body=body)

    assert list(refused.value.fields) == ["body"]
    assert not Comment.objects.exists()


def test_the_assignee_is_told_of_a_comment_without_its_text(
    citizen, agent, django_capture_on_commit_callbacks
):
    service_request = ServiceRequestFactory(reporter=citizen, assignee=agent)

    with django_capture_on_commit_callbacks(execute=True):
        comment = add_comment(
            service_request=service_request, author=citizen, body="My phone is 555-0101."
        )

    told = Notification.objects.get(recipient=agent, template_code="service-request-comment")
    assert told.event_key == f"service-request-comment:{comment.public_id}"
    assert service_request.tracking_number in told.subject
    assert "555-0101" not in told.subject + told.body
    assert not Notification.objects.filter(recipient=citizen).exists()


def test_a_comment_is_kept_when_telling_staff_fails(
    citizen, agent, django_capture_on_commit_callbacks
):
    service_request = ServiceRequestFactory(reporter=citizen, assignee=agent)
    Template.objects.filter(code="service-request-comment").delete()

    with django_capture_on_commit_callbacks(execute=True):
        add_comment(service_request=service_request, author=citizen, body="Still there.")

    assert Comment.objects.filter(service_request=service_request).exists()
    assert not Notification.objects.filter(recipient=agent).exists()
