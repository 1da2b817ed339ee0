from __future__ import annotations

import uuid

import pytest

from cityhall.core.errors import NotFound
from cityhall.core.models import AuditEvent
from cityhall.servicerequests.selectors import get_service_request_for_staff
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


def test_an_agent_of_the_department_reads_the_request_and_the_read_is_audited(db, agent):
    service_request = ServiceRequestFactory()

    found = get_service_request_for_staff(public_id=service_request.public_id, staff=agent)

    assert found == service_request
    event = AuditEvent.objects.get(action="servicerequests.viewed_by_staff")
    assert event.actor == agent
    assert event.target_id == str(service_request.public_id)


def test_staff_outside_the_department_get_not_found(db, outside_agent):
    service_request = ServiceRequestFactory()

    with pytest.raises(NotFound):
        get_service_request_for_staff(public_id=service_request.public_id, staff=outside_agent)
    assert not AuditEvent.objects.filter(action="servicerequests.viewed_by_staff").exists()


def test_a_citizen_gets_not_found(db, citizen):
    service_request = ServiceRequestFactory(reporter=citizen)

    with pytest.raises(NotFound):
        get_service_request_for_staff(public_id=service_request.public_id, staff=citizen)


def test_a_city_admin_reads_any_request(db, admin):
    service_request = ServiceRequestFactory()

    assert get_service_request_for_staff(public_id=service_request.public_id, staff=admin)


def test_an_unknown_request_is_not_found(db, agent):
    with pytest.raises(NotFound):
        get_service_request_for_staff(public_id=uuid.uuid4(), staff=agent)
