"""Contacts of requests finished more than the rule's months ago are emptied, and only those."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cityhall.accounts.tests.factories import UserFactory
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.retention import clear_contacts_of_closed_requests
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db

Status = ServiceRequest.Status
CONTACT = {
    "contact_name": "Ana Lima",
    "contact_email": "ana@example.org",
    "contact_phone": "+15145550199",
    "external_account_id": "app-42",
    "device_id": "device-7",
}


def _request(status: str, *, finished: dt.datetime | None, **fields):
    dates = {}
    if status == Status.CLOSED:
        dates = {"closed_at": finished, "resolved_at": finished}
    elif status == Status.RESOLVED:
        dates = {"resolved_at": finished}
    service_request = ServiceRequestFactory(status=status, **dates, **CONTACT, **fields)
    if status in (Status.REJECTED, Status.DUPLICATE):
        ServiceRequest.objects.filter(pk=service_request.pk).update(updated_at=finished)
    return service_request


def test_contacts_of_requests_finished_before_the_cutoff_are_emptied_and_no_others():
    cutoff = timezone.now() - dt.timedelta(days=730)
    before, after = cutoff - dt.timedelta(days=1), cutoff + dt.timedelta(days=1)
    reporter = UserFactory()
    old_closed = _request(Status.CLOSED, finished=before, reporter=reporter)
    old_resolved = _request(Status.RESOLVED, finished=before)
    old_rejected = _request(Status.REJECTED, finished=before)
    recent_closed = _request(Status.CLOSED, finished=after)
    old_but_open = _request(Status.IN_PROGRESS, finished=None)
    ServiceRequest.objects.filter(pk=old_but_open.pk).update(created_at=before, updated_at=before)

    cleared = clear_contacts_of_closed_requests(cutoff, False)

    assert cleared == 3
    for emptied in (old_closed, old_resolved, old_rejected):
        emptied.refresh_from_db()
        assert all(getattr(emptied, name) == "" for name in CONTACT)
        assert emptied.description  # the public record stays
    old_closed.refresh_from_db()
    assert old_closed.reporter == reporter
    for kept in (recent_closed, old_but_open):
        kept.refresh_from_db()
        assert {name: getattr(kept, name) for name in CONTACT} == CONTACT


def test_a_dry_run_counts_the_same_requests_and_empties_nothing():
    cutoff = timezone.now()
    _request(Status.CLOSED, finished=cutoff - dt.timedelta(days=1))
    _request(Status.CLOSED, finished=cutoff - dt.timedelta(days=2))

    counted = clear_contacts_of_closed_requests(cutoff, True)

    assert counted == 2
    assert ServiceRequest.objects.filter(contact_email="").count() == 0
    assert clear_contacts_of_closed_requests(cutoff, False) == counted


def test_a_second_run_finds_nothing_left_to_empty():
    cutoff = timezone.now()
    _request(Status.CLOSED, finished=cutoff - dt.timedelta(days=1))
    clear_contacts_of_closed_requests(cutoff, False)

    assert clear_contacts_of_closed_requests(cutoff, False) == 0
    assert clear_contacts_of_closed_requests(cutoff, True) == 0


def test_emptying_the_retry_ids_of_many_anonymous_filings_breaks_no_uniqueness():
    cutoff = timezone.now()
    for number in range(3):
        _request(
            Status.CLOSED,
            finished=cutoff - dt.timedelta(days=1),
            client_token=f"client-{number}",
            idempotency_key="same-key",
        )

    assert clear_contacts_of_closed_requests(cutoff, False) == 3
