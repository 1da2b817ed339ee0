from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from cityhall.core.errors import InvalidInput
from cityhall.core.models import AuditEvent
from cityhall.servicerequests.models import Follower
from cityhall.servicerequests.services import follow_service_request, unfollow_service_request
from cityhall.servicerequests.tests.factories import FollowerFactory, ServiceRequestFactory


def test_unfollowing_stops_the_follow_and_is_audited(db, other_citizen):
    service_request = ServiceRequestFactory()
    FollowerFactory(service_request=service_request, user=other_citizen)

    unfollow_service_request(service_request=service_request, user=other_citizen)

    assert not Follower.objects.filter(service_request=service_request).exists()
    event = AuditEvent.objects.get(action="servicerequests.unfollowed")
    assert event.actor == other_citizen


def test_unfollowing_leaves_the_other_followers(db, citizen, other_citizen):
    service_request = ServiceRequestFactory()
    FollowerFactory(service_request=service_request, user=citizen)
    FollowerFactory(service_request=service_request, user=other_citizen)

    unfollow_service_request(service_request=service_request, user=other_citizen)

    assert list(service_request.followers.values_list("user", flat=True)) == [citizen.pk]


def test_unfollowing_a_request_not_followed_changes_and_records_nothing(db, other_citizen):
    service_request = ServiceRequestFactory()

    unfollow_service_request(service_request=service_request, user=other_citizen)

    assert not AuditEvent.objects.filter(action="servicerequests.unfollowed").exists()


def test_following_again_after_unfollowing_works(db, other_citizen):
    service_request = ServiceRequestFactory()
    follow_service_request(service_request=service_request, user=other_citizen)
    unfollow_service_request(service_request=service_request, user=other_citizen)

    follow_service_request(service_request=service_request, user=other_citizen)

    assert service_request.followers.count() == 1


def test_an_anonymous_visitor_cannot_unfollow(db):
    service_request = ServiceRequestFactory()

    with pytest.raises(InvalidInput):
        unfollow_service_request(service_request=service_request, user=AnonymousUser())
