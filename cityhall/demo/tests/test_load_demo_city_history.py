from datetime import timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.utils import timezone

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.servicerequests.models import ServiceRequest, StatusChange
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

SMALL = ["--residents", "100", "--addresses", "1000", "--requests", "200"]


def load(*extra):
    out = StringIO()
    call_command("load_demo_city", *SMALL, *extra, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_loads_a_year_of_past_requests_once_and_reset_replaces_them(citizen):
    output = load()
    first = set(ServiceRequest.objects.values_list("tracking_number", flat=True))
    own = ServiceRequestFactory(service=ServiceFactory(code="library-card"), reporter=citizen)

    again = load()
    unchanged = set(ServiceRequest.objects.values_list("tracking_number", flat=True))
    reset = load("--reset", "--seed", "3")

    assert "past service requests" in output
    assert 190 <= len(first) <= 210  # a year's 200 and the archive's finished few
    assert "already loaded" in again
    assert unchanged == first | {own.tracking_number}
    assert "Removed the demo city." in reset
    remaining = set(ServiceRequest.objects.values_list("tracking_number", flat=True))
    assert not (remaining & first)
    assert own.tracking_number in remaining
    assert 190 <= len(remaining) - 1 <= 210


@pytest.mark.django_db
def test_loaded_requests_keep_their_past_dates_and_ordered_timelines():
    load()
    now = timezone.now()
    service_requests = ServiceRequest.objects.exclude(status="submitted")

    assert ServiceRequest.objects.filter(created_at__lt=now - timedelta(days=300)).exists()
    assert ServiceRequest.objects.filter(status="closed").count() > 100
    assert ServiceRequest.objects.filter(reporter__isnull=True).exists()
    for service_request in service_requests.prefetch_related("status_changes"):
        steps = list(service_request.status_changes.all())
        assert steps[0].to_status == "submitted"
        assert steps[0].created_at == service_request.created_at
        assert steps[-1].to_status == service_request.status
        assert all(a.created_at < b.created_at <= now for a, b in pairwise(steps))
        assert all(b.from_status == a.to_status for a, b in pairwise(steps))
        if service_request.closed_at is not None:
            assert service_request.closed_at == steps[-1].created_at


@pytest.mark.django_db
def test_zero_requests_loads_the_city_without_history():
    output = load("--requests", "0")

    assert "0 past service requests" in output
    assert not ServiceRequest.objects.exists()
    assert not StatusChange.objects.exists()


@pytest.mark.django_db
def test_the_archive_gives_the_retention_report_contacts_past_their_months():
    load()
    cutoff = timezone.now() - timedelta(days=2 * 365)
    archived = ServiceRequest.objects.filter(created_at__lt=cutoff)

    report = StringIO()
    call_command("apply_retention", "--dry-run", stdout=report)

    assert archived.exists()
    assert not archived.filter(status__in=sorted(ServiceRequest.OPEN_STATUSES)).exists()
    assert not archived.filter(contact_phone="").exists()
    line = next(
        row
        for row in report.getvalue().splitlines()
        if row.startswith("servicerequests.closed_request_contacts")
    )
    assert int(line.split()[-1]) == archived.count()
