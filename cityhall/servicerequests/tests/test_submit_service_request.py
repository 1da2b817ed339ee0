from __future__ import annotations

import pytest

from cityhall.catalog.tests.factories import ServiceFactory, ServiceFieldFactory
from cityhall.core.errors import InvalidInput
from cityhall.core.models import AuditEvent
from cityhall.places.tests.factories import DistrictFactory
from cityhall.servicerequests.models import (
    ServiceRequest,
    StatusChange,
    TrackingNumberCounter,
)
from cityhall.servicerequests.services import Contact, Location, intake, submit_service_request

PORTAL = ServiceRequest.Channel.PORTAL
IN_THE_DISTRICT = Location(45.51, -73.59)


def submit(service, reporter, **overrides):
    arguments = {
        "reporter": reporter,
        "service": service,
        "description": "Deep pothole in front of number 12.",
        "answers": {},
        "location": IN_THE_DISTRICT,
        "channel": PORTAL,
    }
    return submit_service_request(**(arguments | overrides))


@pytest.fixture
def pothole(db):
    return ServiceFactory(code="pothole", department__code="public-works", requires_location=True)


def test_a_request_is_filed_located_and_timed(pothole, citizen):
    district = DistrictFactory(south=45.50, west=-73.60, size=0.02)

    service_request = submit(pothole, citizen)

    service_request.refresh_from_db()
    assert service_request.status == ServiceRequest.Status.SUBMITTED
    assert service_request.tracking_number.endswith("-000001")
    assert service_request.district == district
    assert service_request.department == pothole.department
    assert service_request.h3_cell
    assert service_request.due_at > service_request.created_at
    assert list(service_request.status_changes.values_list("to_status", flat=True)) == ["submitted"]
    assert AuditEvent.objects.filter(
        action="servicerequests.submitted", target_id=str(service_request.public_id)
    ).exists()


def test_tracking_numbers_follow_each_other_and_carry_the_city_initials(pothole, citizen):
    first = submit(pothole, citizen)
    second = submit(pothole, citizen)

    prefix, year, number = second.tracking_number.split("-")
    assert prefix == "RAS"
    assert len(year) == 2
    assert int(number) == int(first.tracking_number.split("-")[2]) + 1


def test_the_reporter_gets_a_confirmation_in_their_language(
    pothole, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    citizen.preferred_language = "fr"
    citizen.save()

    with django_capture_on_commit_callbacks(execute=True):
        service_request = submit(pothole, citizen)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [citizen.email]
    assert service_request.tracking_number in mailoutbox[0].subject


def test_a_request_without_account_is_accepted_with_a_contact_email(pothole, mailoutbox):
    service_request = submit(pothole, None, contact=Contact(email="someone@example.org"))

    assert service_request.reporter is None
    assert service_request.contact_email == "someone@example.org"


def test_an_anonymous_request_is_accepted_when_the_service_allows_it(db):
    service = ServiceFactory(allows_anonymous=True)

    service_request = submit(service, None, location=None)

    assert service_request.reporter is None
    assert service_request.latitude is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "short"}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"location": None}, "location"),
        ({"location": Location(91.0, -73.59)}, "location"),
        ({"location": Location(45.5, 181.0)}, "location"),
        ({"location": Location(float("nan"), 0.0)}, "location"),
        ({"address_text": "x" * 301}, "address_text"),
        ({"contact": Contact(email="not-an-address")}, "contact_email"),
        ({"idempotency_key": "k" * 101}, "idempotency_key"),
        ({"answers": {"no-such-question": "yes"}}, "answers.no-such-question"),
    ],
)
def test_each_bad_input_is_reported_by_its_field_name(pothole, citizen, overrides, field):
    with pytest.raises(InvalidInput) as error:
        submit(pothole, citizen, **overrides)

    assert field in error.value.fields


def test_a_missing_required_answer_is_reported_under_its_field_code(pothole, citizen):
    ServiceFieldFactory(service=pothole, code="depth", is_required=True)

    with pytest.raises(InvalidInput) as error:
        submit(pothole, citizen)

    assert list(error.value.fields) == ["answers.depth"]


def test_anonymous_requests_are_refused_when_the_service_does_not_allow_them(pothole):
    with pytest.raises(InvalidInput) as error:
        submit(pothole, None)

    assert "reporter" in error.value.fields


def test_a_service_closed_to_requests_refuses_them(citizen):
    service = ServiceFactory(accepts_requests=False)

    with pytest.raises(InvalidInput) as error:
        submit(service, citizen)

    assert "service" in error.value.fields


def test_all_errors_are_reported_at_once(pothole, citizen):
    with pytest.raises(InvalidInput) as error:
        submit(pothole, citizen, description="", location=None, address_text="x" * 301)

    assert {"description", "location", "address_text"} <= set(error.value.fields)


def test_nothing_is_written_when_the_input_is_refused(pothole, citizen):
    with pytest.raises(InvalidInput):
        submit(pothole, citizen, location=Location(95.0, 0.0))

    assert ServiceRequest.objects.count() == 0
    assert StatusChange.objects.count() == 0
    assert TrackingNumberCounter.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="servicerequests.").exists()


def test_nothing_is_written_when_a_step_after_saving_fails(pothole, citizen, monkeypatch):
    def failing_audit(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(intake, "record_audit_event", failing_audit)

    with pytest.raises(RuntimeError):
        submit(pothole, citizen)

    assert ServiceRequest.objects.count() == 0
    assert StatusChange.objects.count() == 0
    assert TrackingNumberCounter.objects.count() == 0
