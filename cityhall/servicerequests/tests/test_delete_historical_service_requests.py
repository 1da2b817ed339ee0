from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.models import AuditEvent
from cityhall.servicerequests.models import ServiceRequest, StatusChange
from cityhall.servicerequests.services import (
    HistoricalServiceRequest,
    HistoricalStep,
    Location,
    delete_historical_service_requests,
    import_historical_service_requests,
)
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


def record(service, created_at, *, merged=False):
    return HistoricalServiceRequest(
        reporter=None,
        service=service,
        description="Streetlight out in front of number 8.",
        answers={},
        location=Location(45.51, -73.59),
        address_text="8 rue du Moulin",
        channel=ServiceRequest.Channel.OPEN311,
        created_at=created_at,
        steps=(HistoricalStep("duplicate", created_at + timedelta(hours=2)),) if merged else (),
        duplicate_of=0 if merged else None,
    )


@pytest.mark.django_db
def test_deleting_removes_duplicates_with_their_originals_and_nothing_else():
    service = ServiceFactory(allows_anonymous=True)
    filed = timezone.now() - timedelta(days=30)
    imported = import_historical_service_requests(
        records=[record(service, filed), record(service, filed + timedelta(hours=1), merged=True)],
        actor=None,
    )
    other = ServiceRequestFactory()

    deleted = delete_historical_service_requests(
        tracking_numbers=[sr.tracking_number for sr in imported], actor=None
    )

    assert deleted == 2
    assert list(ServiceRequest.objects.all()) == [other]
    assert not StatusChange.objects.filter(service_request__in=imported).exists()
    assert AuditEvent.objects.filter(action="servicerequests.history_deleted").count() == 1
