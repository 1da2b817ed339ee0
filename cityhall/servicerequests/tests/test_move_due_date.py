from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cityhall.core.errors import Conflict, InvalidInput, NotFound
from cityhall.core.models import AuditEvent
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.selectors import expected_resolution
from cityhall.servicerequests.services import move_due_date
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


def test_the_citizen_reads_the_new_date_and_why(db, agent):
    now = timezone.now()
    service_request = ServiceRequestFactory(
        due_at=now + timedelta(hours=1), sla_warned_at=now, sla_escalated_at=now
    )
    new_due = now + timedelta(days=3)

    move_due_date(
        service_request=service_request, actor=agent, due_at=new_due, reason="Parts on order."
    )

    expected = expected_resolution(tracking_number=service_request.tracking_number)
    assert expected.due_at == new_due
    assert expected.reason == "Parts on order."
    service_request.refresh_from_db()
    assert service_request.sla_warned_at is None
    assert service_request.sla_escalated_at is None
    event = AuditEvent.objects.get(action=ServiceRequestAuditAction.DUE_DATE_MOVED)
    assert "reason" not in event.data


def test_a_past_date_and_a_missing_reason_are_refused_by_field(db, agent):
    service_request = ServiceRequestFactory()

    with pytest.raises(InvalidInput) as error:
        move_due_date(
            service_request=service_request,
            actor=agent,
            due_at=timezone.now() - timedelta(hours=1),
            reason="",
        )

    assert set(error.value.fields) == {"due_at", "reason"}


def test_a_settled_request_keeps_its_date(db, agent):
    with pytest.raises(Conflict):
        move_due_date(
            service_request=ServiceRequestFactory(status="rejected"),
            actor=agent,
            due_at=timezone.now() + timedelta(days=1),
            reason="Late.",
        )


def test_staff_outside_the_department_get_not_found(db, outside_agent):
    with pytest.raises(NotFound):
        move_due_date(
            service_request=ServiceRequestFactory(),
            actor=outside_agent,
            due_at=timezone.now() + timedelta(days=1),
            reason="Late.",
        )
