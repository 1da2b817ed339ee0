from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cityhall.servicerequests.tests.factories import ServiceRequestFactory


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "closed"},
        {"status": "resolved"},
        {"status": "duplicate"},
        {"status": "nonsense"},
        {"latitude": 45.5},
        {"latitude": 95.0, "longitude": 0.0},
    ],
    ids=[
        "closed-without-closed-at",
        "resolved-without-resolved-at",
        "duplicate-without-original",
        "unknown-status",
        "half-a-point",
        "latitude-off-earth",
    ],
)
def test_the_database_refuses_a_request_that_breaks_an_invariant(db, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRequestFactory(**fields)


def test_only_a_duplicate_points_to_an_original(db):
    original = ServiceRequestFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRequestFactory(duplicate_of=original)


def test_a_closed_request_with_its_closing_time_is_accepted(db):
    service_request = ServiceRequestFactory(status="closed", closed_at=timezone.now())

    assert not service_request.is_open


def test_tracking_numbers_are_unique(db):
    ServiceRequestFactory(tracking_number="RAS-26-000001")

    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRequestFactory(tracking_number="RAS-26-000001")
