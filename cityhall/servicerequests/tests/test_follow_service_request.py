from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.errors import InvalidInput, NotFound
from cityhall.servicerequests.services import follow_service_request
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


def test_following_twice_keeps_one_follower(db, other_citizen):
    service_request = ServiceRequestFactory()

    follow_service_request(service_request=service_request, user=other_citizen)
    follow_service_request(service_request=service_request, user=other_citizen)

    assert service_request.followers.count() == 1


def test_only_the_reporter_may_follow_a_sensitive_request(db, citizen, other_citizen):
    service_request = ServiceRequestFactory(
        reporter=citizen, service=ServiceFactory(is_sensitive=True)
    )

    follow_service_request(service_request=service_request, user=citizen)
    with pytest.raises(NotFound):
        follow_service_request(service_request=service_request, user=other_citizen)


def test_an_anonymous_visitor_cannot_follow(db):
    service_request = ServiceRequestFactory()

    with pytest.raises(InvalidInput):
        follow_service_request(service_request=service_request, user=AnonymousUser())
