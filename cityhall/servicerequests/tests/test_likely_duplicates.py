from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.places.h3cells import cell_for
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import likely_duplicates
from cityhall.servicerequests.services import Location, submit_service_request
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

HERE = (45.5100, -73.5900)
TEN_METRES_NORTH = (45.5101, -73.5900)
FAR_AWAY = (45.5200, -73.5900)


@pytest.fixture
def pothole(db):
    return ServiceFactory(
        code="pothole", department__code="public-works",
        duplicate_radius_m=50, duplicate_window_hours=72,
    )  # fmt: skip


def reported(service, point, **fields):
    return ServiceRequestFactory(
        service=service, latitude=point[0], longitude=point[1],
        h3_cell=cell_for(*point), description="Deep pothole by the school gate", **fields,
    )  # fmt: skip


def test_open_nearby_recent_requests_of_the_service_are_candidates(pothole):
    near = reported(pothole, TEN_METRES_NORTH)
    reported(pothole, FAR_AWAY)
    reported(pothole, HERE, status="closed", closed_at=timezone.now())
    reported(ServiceFactory(), HERE)
    old = reported(pothole, HERE)
    ServiceRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=4))

    found = likely_duplicates(
        service=pothole, latitude=HERE[0], longitude=HERE[1],
        description="pothole by the school gate", at=timezone.now(),
    )  # fmt: skip

    assert [candidate for candidate, _ in found] == [near]
    assert found[0][1] > 0.5


def test_submitting_stores_the_candidates_for_staff_once_committed(
    pothole, citizen, django_capture_on_commit_callbacks
):
    earlier = reported(pothole, TEN_METRES_NORTH)

    with django_capture_on_commit_callbacks(execute=True):
        service_request = submit_service_request(
            reporter=citizen, service=pothole, description="Deep pothole by the school gate",
            answers={}, location=Location(*HERE), channel=ServiceRequest.Channel.PORTAL,
        )  # fmt: skip
        assert not service_request.duplicate_candidates.exists()  # not in the citizen's wait

    assert service_request.status == ServiceRequest.Status.SUBMITTED
    candidate = service_request.duplicate_candidates.get()
    assert candidate.candidate == earlier
    assert candidate.score > 0.5
