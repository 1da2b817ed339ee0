"""A fresh demo city gives its partner sign-in work to do, and its first SLA sweep is quiet."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from cityhall.accounts.models import User
from cityhall.notifications.models import Notification
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import service_requests_for_partner
from cityhall.servicerequests.services import warn_and_escalate

Status = ServiceRequest.Status


@pytest.fixture
def demo_city(db):
    call_command(
        "load_demo_city",
        *["--residents", "100", "--addresses", "1000", "--requests", "400"],
        stdout=StringIO(),
    )


def test_the_demo_partner_sign_in_has_requests_in_its_queue(demo_city):
    member = User.objects.get(email="partner@example.org")

    queue = list(service_requests_for_partner(user=member))

    assert queue
    assert {service_request.status for service_request in queue}.isdisjoint(
        {Status.REJECTED, Status.DUPLICATE}
    )


def test_the_first_sla_sweep_tells_nobody_about_the_past(
    demo_city, django_capture_on_commit_callbacks
):
    overdue = ServiceRequest.objects.filter(
        status__in=sorted(ServiceRequest.OPEN_STATUSES), sla_escalated_at__isnull=False
    )
    assert overdue.exists()  # the demo's backlog is overdue on purpose

    with django_capture_on_commit_callbacks(execute=True):
        sweep = warn_and_escalate()

    assert sweep.escalated == 0
    assert sweep.warned == 0
    assert not Notification.objects.exists()
    assert mail.outbox == []
