from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.errors import InvalidInput
from cityhall.core.models import AuditEvent
from cityhall.servicerequests.models import ServiceRequest, StatusChange
from cityhall.servicerequests.services import (
    Contact,
    HistoricalServiceRequest,
    HistoricalStep,
    Location,
    import_historical_service_requests,
)

NOW = timezone.now()
FILED = NOW - timedelta(days=200)
HERE = Location(45.51, -73.59)


@pytest.fixture
def pothole(db):
    return ServiceFactory(
        code="pothole", department__code="public-works", sla_hours=72, allows_anonymous=True
    )


def record(service, reporter=None, **overrides):
    arguments = {
        "reporter": reporter,
        "service": service,
        "description": "Deep pothole in front of number 12.",
        "answers": {},
        "location": HERE,
        "address_text": "12 rue Principale",
        "channel": ServiceRequest.Channel.PHONE,
        "created_at": FILED,
        "steps": (),
    }
    return HistoricalServiceRequest(**(arguments | overrides))


def steps(*statuses, start=FILED):
    return tuple(
        HistoricalStep(to_status=status, at=start + timedelta(days=n + 1), public_note="Noted.")
        for n, status in enumerate(statuses)
    )


def test_a_request_keeps_its_historical_dates_and_timeline(pothole, citizen):
    lifecycle = steps("acknowledged", "in_progress", "resolved", "closed")

    [service_request] = import_historical_service_requests(
        records=[record(pothole, citizen, steps=lifecycle)], actor=None
    )

    service_request.refresh_from_db()
    assert service_request.created_at == FILED
    assert service_request.status == "closed"
    assert service_request.resolved_at == lifecycle[2].at
    assert service_request.closed_at == lifecycle[3].at
    assert service_request.due_at is not None
    assert service_request.due_at > FILED
    assert service_request.tracking_number.split("-")[1] == f"{FILED.year % 100:02d}"
    timeline = list(service_request.status_changes.values_list("to_status", "created_at"))
    assert timeline == [("submitted", FILED), *((s.to_status, s.at) for s in lifecycle)]
    assert mail.outbox == []


def test_a_duplicate_points_at_its_earlier_original(pothole, citizen):
    original = record(pothole, citizen, steps=steps("acknowledged"))
    later = FILED + timedelta(hours=5)
    copy = record(
        pothole, None, created_at=later, steps=steps("duplicate", start=later), duplicate_of=0
    )

    first, second = import_historical_service_requests(records=[original, copy], actor=None)

    second.refresh_from_db()
    assert second.status == "duplicate"
    assert second.duplicate_of == first


def test_one_audit_line_covers_a_batch(pothole, citizen):
    records = [record(pothole, citizen) for _ in range(3)]

    import_historical_service_requests(records=records, actor=None)

    assert ServiceRequest.objects.count() == 3
    assert AuditEvent.objects.filter(action="servicerequests.history_imported").count() == 1
    assert not AuditEvent.objects.filter(action="servicerequests.submitted").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"steps": steps("in_progress")}, "1.steps"),
        ({"steps": steps("acknowledged", "closed")}, "1.steps"),
        ({"created_at": NOW + timedelta(days=1)}, "1.steps"),
        ({"steps": (HistoricalStep("acknowledged", FILED - timedelta(hours=1)),)}, "1.steps"),
        ({"steps": steps("acknowledged", "duplicate")}, "1.duplicate_of"),
        ({"duplicate_of": 0}, "1.duplicate_of"),
        ({"description": "short"}, "1.description"),
        ({"answers": {"colour": "red"}}, "1.answers.colour"),
    ],
)
def test_a_wrong_record_is_refused_and_nothing_is_stored(pothole, citizen, overrides, field):
    records = [record(pothole, citizen), record(pothole, citizen, **overrides)]

    with pytest.raises(InvalidInput) as error:
        import_historical_service_requests(records=records, actor=None)

    assert field in error.value.fields
    assert not ServiceRequest.objects.exists()
    assert not StatusChange.objects.exists()


def test_an_anonymous_record_is_refused_where_the_service_needs_a_reporter(db):
    permit = ServiceFactory(code="garage-sale", allows_anonymous=False)

    with pytest.raises(InvalidInput) as error:
        import_historical_service_requests(records=[record(permit)], actor=None)

    assert "0.reporter" in error.value.fields


def test_a_record_without_an_account_keeps_the_contact_taken_down_when_it_was_filed(db):
    permit = ServiceFactory(code="garage-sale", allows_anonymous=False)
    caller = Contact(name=" Ana Lima ", email="ana@example.org", phone="+15145550123")

    [service_request] = import_historical_service_requests(
        records=[record(permit, contact=caller)], actor=None
    )

    service_request.refresh_from_db()
    assert service_request.reporter is None
    assert (
        service_request.contact_name,
        service_request.contact_email,
        service_request.contact_phone,
    ) == ("Ana Lima", "ana@example.org", "+15145550123")
