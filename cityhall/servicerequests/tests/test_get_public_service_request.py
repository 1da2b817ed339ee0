from __future__ import annotations

import dataclasses

import pytest
from django.utils import timezone

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.errors import NotFound
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import get_public_service_request
from cityhall.servicerequests.tests.factories import ServiceRequestFactory, StatusChangeFactory


@pytest.fixture
def service_request(citizen):
    return ServiceRequestFactory(
        reporter=citizen,
        contact_name="Camille Tremblay",
        contact_email="camille.citizen@example.org",
        contact_phone="514-555-0100",
        description="My neighbour Camille at 12 Rue des Érables saw it.",
        address_text="12 Rue des Érables",
        latitude=45.512345,
        longitude=-73.598765,
    )


def test_the_public_view_carries_no_personal_data(service_request):
    public = get_public_service_request(tracking_number=service_request.tracking_number)

    text = repr(dataclasses.asdict(public))
    for personal in ("Camille", "camille.citizen", "555-0100", "Érables", "neighbour"):
        assert personal not in text
    assert "reporter" not in {field.name for field in dataclasses.fields(public)}
    assert public.status == "submitted"


def test_only_public_steps_and_public_notes_are_shown(service_request):
    StatusChangeFactory(
        service_request=service_request, to_status="acknowledged", public_note="On our list."
    )
    StatusChangeFactory(service_request=service_request, to_status="acknowledged", is_public=False)
    StatusChangeFactory(
        service_request=service_request, to_status="in_progress", internal_note="Call Camille."
    )

    public = get_public_service_request(tracking_number=service_request.tracking_number)

    assert [(step.status, step.note) for step in public.timeline] == [
        ("acknowledged", "On our list."),
        ("in_progress", ""),
    ]


def test_a_sensitive_request_shows_a_coarse_location(db):
    service_request = ServiceRequestFactory(
        service=ServiceFactory(is_sensitive=True), latitude=45.512345, longitude=-73.598765
    )

    public = get_public_service_request(tracking_number=service_request.tracking_number)

    assert (public.latitude, public.longitude) == (45.512, -73.599)


def test_the_number_is_found_whatever_its_case(service_request):
    public = get_public_service_request(tracking_number=service_request.tracking_number.lower())

    assert public.tracking_number == service_request.tracking_number


def test_an_unknown_number_is_not_found(db):
    with pytest.raises(NotFound):
        get_public_service_request(tracking_number="RAS-26-999999")


def test_an_update_without_a_status_change_is_told_apart_from_status_changes(service_request):
    StatusChangeFactory(service_request=service_request, from_status="", to_status="submitted")
    StatusChangeFactory(
        service_request=service_request, from_status="submitted", to_status="acknowledged"
    )
    StatusChangeFactory(
        service_request=service_request,
        from_status="acknowledged",
        to_status="acknowledged",
        public_note="The crew comes on Tuesday.",
    )

    public = get_public_service_request(tracking_number=service_request.tracking_number)

    assert [(step.status, step.is_update) for step in public.timeline] == [
        ("submitted", False),
        ("acknowledged", False),
        ("acknowledged", True),
    ]


@pytest.mark.parametrize(
    ("status", "field"), [("closed", "closed_at"), ("resolved", "resolved_at")]
)
def test_a_settled_request_says_when_it_was_settled_and_is_not_open(service_request, status, field):
    settled_at = timezone.now()
    ServiceRequest.objects.filter(pk=service_request.pk).update(
        status=status, **{field: settled_at}
    )

    public = get_public_service_request(tracking_number=service_request.tracking_number)

    assert not public.is_open
    assert public.settled_at == settled_at


def test_an_open_request_is_open_and_not_settled(service_request):
    public = get_public_service_request(tracking_number=service_request.tracking_number)

    assert public.is_open
    assert public.settled_at is None


def test_a_merged_request_names_the_request_it_joined(service_request):
    original = ServiceRequestFactory(tracking_number="RAS-26-000500")
    ServiceRequest.objects.filter(pk=service_request.pk).update(
        status="duplicate", duplicate_of=original
    )

    public = get_public_service_request(tracking_number=service_request.tracking_number)

    assert public.duplicate_of == "RAS-26-000500"
