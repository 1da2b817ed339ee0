"""A filing is followed up once: by its task, or by the sweep when its task was lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.places.h3cells import cell_for
from cityhall.servicerequests.models import DuplicateCandidate, ServiceRequest
from cityhall.servicerequests.services import (
    Contact,
    HistoricalServiceRequest,
    Location,
    import_historical_service_requests,
    submit_service_request,
)
from cityhall.servicerequests.services.follow_up import (
    FOLLOW_UP_CLAIM,
    FOLLOW_UP_GRACE,
    FOLLOW_UP_WINDOW,
    FollowUp,
    follow_up_filing,
)
from cityhall.servicerequests.tasks import follow_up_filings_left_waiting
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

HERE = (45.5100, -73.5900)


@pytest.fixture
def pothole(db):
    return ServiceFactory(
        code="pothole", duplicate_radius_m=50, duplicate_window_hours=72, allows_anonymous=True
    )


def filed(service, *, ago=timedelta(0), email="someone@example.org"):
    """A filing whose follow-up task never ran (its on-commit enqueue is not run in tests)."""
    service_request = submit_service_request(
        reporter=None, service=service, description="Deep pothole by the school gate",
        answers={}, location=Location(*HERE), contact=Contact(email=email),
        channel=ServiceRequest.Channel.OPEN311, client_token="open311:test",
    )  # fmt: skip
    ServiceRequest.objects.filter(id=service_request.id).update(created_at=timezone.now() - ago)
    return service_request


def test_a_filing_is_confirmed_once_however_often_it_is_followed_up(pothole, mailoutbox):
    ServiceRequestFactory(
        service=pothole, latitude=HERE[0], longitude=HERE[1], h3_cell=cell_for(*HERE),
        description="Deep pothole by the school gate",
    )  # fmt: skip
    service_request = filed(pothole)

    results = [follow_up_filing(service_request.id) for _ in range(3)]

    assert results == [FollowUp(duplicate_candidates=1, confirmed=True), None, None]
    assert len(mailoutbox) == 1
    assert DuplicateCandidate.objects.count() == 1
    service_request.refresh_from_db()
    assert service_request.followed_up_at is not None


def test_a_follow_up_another_worker_holds_is_left_to_it(pothole, mailoutbox):
    service_request = filed(pothole)
    ServiceRequest.objects.filter(id=service_request.id).update(follow_up_claimed_at=timezone.now())

    assert follow_up_filing(service_request.id) is None
    assert mailoutbox == []


def test_a_follow_up_whose_worker_died_is_taken_over_once_its_claim_expires(pothole, mailoutbox):
    service_request = filed(pothole)
    ServiceRequest.objects.filter(id=service_request.id).update(
        follow_up_claimed_at=timezone.now() - FOLLOW_UP_CLAIM - timedelta(seconds=1)
    )

    assert follow_up_filing(service_request.id) == FollowUp(0, confirmed=True)
    assert len(mailoutbox) == 1


def test_the_sweep_follows_up_filings_whose_task_was_lost(pothole, mailoutbox):
    lost = filed(pothole, ago=FOLLOW_UP_GRACE + timedelta(minutes=1), email="lost@example.org")
    filed(pothole, email="queued@example.org")  # its task may still be in the queue
    filed(pothole, ago=FOLLOW_UP_WINDOW + timedelta(hours=1), email="old@example.org")

    swept = follow_up_filings_left_waiting.call()
    again = follow_up_filings_left_waiting.call()

    assert (swept, again) == (1, 0)
    assert [message.to for message in mailoutbox] == [["lost@example.org"]]
    lost.refresh_from_db()
    assert lost.followed_up_at is not None


def test_imported_requests_are_never_confirmed(pothole, citizen, mailoutbox):
    import_historical_service_requests(
        records=[
            HistoricalServiceRequest(
                reporter=citizen, service=pothole, description="Deep pothole.", answers={},
                location=Location(*HERE), address_text="", channel=ServiceRequest.Channel.PHONE,
                created_at=timezone.now() - FOLLOW_UP_GRACE * 2, steps=(),
            )
        ],
        actor=None,
    )  # fmt: skip

    assert follow_up_filings_left_waiting.call() == 0
    assert mailoutbox == []
