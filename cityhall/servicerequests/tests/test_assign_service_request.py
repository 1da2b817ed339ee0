from __future__ import annotations

import pytest

from cityhall.core.errors import InvalidInput, NotFound
from cityhall.servicerequests.services import assign_service_request
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


def test_a_supervisor_assigns_a_request_to_an_agent_of_the_department(db, supervisor, agent):
    service_request = ServiceRequestFactory()

    assign_service_request(service_request=service_request, actor=supervisor, assignee=agent)

    service_request.refresh_from_db()
    assert service_request.assignee == agent


def test_a_request_can_go_back_to_the_pool(db, agent):
    service_request = ServiceRequestFactory(assignee=agent)

    assign_service_request(service_request=service_request, actor=agent, assignee=None)

    service_request.refresh_from_db()
    assert service_request.assignee is None


def test_staff_of_another_department_cannot_be_assignees(db, supervisor, outside_agent):
    service_request = ServiceRequestFactory()

    with pytest.raises(InvalidInput) as error:
        assign_service_request(
            service_request=service_request, actor=supervisor, assignee=outside_agent
        )

    assert "assignee" in error.value.fields


def test_staff_outside_the_department_get_not_found(db, outside_agent):
    service_request = ServiceRequestFactory()

    with pytest.raises(NotFound):
        assign_service_request(
            service_request=service_request, actor=outside_agent, assignee=outside_agent
        )
