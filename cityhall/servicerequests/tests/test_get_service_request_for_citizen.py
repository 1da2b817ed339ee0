from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from cityhall.core.errors import NotFound
from cityhall.servicerequests.selectors import get_service_request_for_citizen
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


def test_the_reporter_reads_their_request(db, citizen):
    service_request = ServiceRequestFactory(reporter=citizen)

    assert get_service_request_for_citizen(public_id=service_request.public_id, user=citizen)


def test_a_citizen_cannot_read_another_citizens_request(db, citizen, other_citizen):
    service_request = ServiceRequestFactory(reporter=citizen)

    with pytest.raises(NotFound):
        get_service_request_for_citizen(public_id=service_request.public_id, user=other_citizen)


def test_an_anonymous_request_is_nobodys_to_read(db):
    service_request = ServiceRequestFactory(reporter=None)

    with pytest.raises(NotFound):
        get_service_request_for_citizen(public_id=service_request.public_id, user=AnonymousUser())
