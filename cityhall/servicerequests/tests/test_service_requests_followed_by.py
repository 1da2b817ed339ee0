from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cityhall.servicerequests.selectors import service_requests_followed_by
from cityhall.servicerequests.tests.factories import FollowerFactory, ServiceRequestFactory


def test_lists_the_requests_the_citizen_follows_newest_first(db, citizen, other_citizen):
    now = timezone.now()
    older = ServiceRequestFactory(reporter=other_citizen)
    newer = ServiceRequestFactory(reporter=other_citizen)
    older.created_at, newer.created_at = now - dt.timedelta(days=2), now
    older.save(update_fields=["created_at"])
    newer.save(update_fields=["created_at"])
    not_followed = ServiceRequestFactory(reporter=other_citizen)
    for service_request in (older, newer):
        FollowerFactory(service_request=service_request, user=citizen)
    FollowerFactory(service_request=not_followed, user=other_citizen)

    followed = list(service_requests_followed_by(user=citizen))

    assert followed == [newer, older]


def test_leaves_out_the_citizens_own_requests_which_are_listed_as_filed(db, citizen):
    own = ServiceRequestFactory(reporter=citizen)
    FollowerFactory(service_request=own, user=citizen)

    assert not service_requests_followed_by(user=citizen).exists()
