from __future__ import annotations

import pytest

from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.core.errors import Conflict, InvalidInput, NotFound
from cityhall.core.models import AuditEvent
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.events import service_request_assigned
from cityhall.servicerequests.services import reroute_service_request
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


def test_a_rerouted_request_goes_to_the_other_team_unassigned_with_the_reason(db, agent):
    parks = DepartmentFactory(code="parks")
    service_request = ServiceRequestFactory(assignee=agent)
    heard = []

    def receiver(sender, **kwargs):
        heard.append(kwargs)

    service_request_assigned.connect(receiver)
    try:
        reroute_service_request(
            service_request=service_request, actor=agent, department=parks, reason="A park path."
        )
    finally:
        service_request_assigned.disconnect(receiver)

    service_request.refresh_from_db()
    assert service_request.department == parks
    assert service_request.assignee is None
    step = service_request.status_changes.get()
    assert not step.is_public
    assert "A park path." in step.internal_note
    event = AuditEvent.objects.get(action=ServiceRequestAuditAction.REROUTED)
    assert event.data == {"from": "public-works", "to": "parks"}
    assert heard[0]["assignee"] is None


def test_rerouting_needs_a_reason_and_another_department(db, agent):
    service_request = ServiceRequestFactory()

    with pytest.raises(InvalidInput) as error:
        reroute_service_request(
            service_request=service_request,
            actor=agent,
            department=service_request.department,
            reason="  ",
        )

    assert set(error.value.fields) == {"reason", "department"}


def test_a_settled_request_stays_with_its_team(db, agent):
    service_request = ServiceRequestFactory(status="rejected")

    with pytest.raises(Conflict):
        reroute_service_request(
            service_request=service_request,
            actor=agent,
            department=DepartmentFactory(),
            reason="Wrong team.",
        )


def test_staff_outside_the_department_get_not_found(db, outside_agent):
    with pytest.raises(NotFound):
        reroute_service_request(
            service_request=ServiceRequestFactory(),
            actor=outside_agent,
            department=DepartmentFactory(),
            reason="Mine now.",
        )
