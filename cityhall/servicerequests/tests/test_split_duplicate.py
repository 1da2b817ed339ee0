from __future__ import annotations

import pytest

from cityhall.core.errors import Conflict, NotFound
from cityhall.core.models import AuditEvent
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import (
    change_service_request_status,
    merge_duplicate,
    split_duplicate,
)
from cityhall.servicerequests.tests.factories import FollowerFactory, ServiceRequestFactory

Status = ServiceRequest.Status


@pytest.fixture
def merged(citizen, other_citizen, agent):
    original = ServiceRequestFactory(reporter=other_citizen)
    duplicate = ServiceRequestFactory(service=original.service, reporter=citizen)
    change_service_request_status(
        service_request=duplicate, actor=agent, to_status=Status.ACKNOWLEDGED
    )
    watcher = FollowerFactory(service_request=duplicate).user
    merge_duplicate(duplicate=duplicate, original=original, actor=agent)
    return duplicate, original, watcher


def test_a_split_request_returns_to_the_open_status_it_had(merged, agent):
    duplicate, _, _ = merged

    split_duplicate(duplicate=duplicate, actor=agent)

    duplicate.refresh_from_db()
    assert duplicate.status == Status.ACKNOWLEDGED
    assert duplicate.duplicate_of is None
    assert list(duplicate.status_changes.values_list("to_status", flat=True)) == [
        Status.ACKNOWLEDGED,
        Status.DUPLICATE,
        Status.ACKNOWLEDGED,
    ]


def test_followers_who_came_with_the_request_still_follow_it(merged, agent):
    duplicate, original, watcher = merged

    split_duplicate(duplicate=duplicate, actor=agent)

    assert duplicate.followers.filter(user=watcher).exists()
    assert original.followers.filter(user=watcher).exists()


def test_a_split_is_audited_with_the_original(merged, agent):
    duplicate, original, _ = merged

    split_duplicate(duplicate=duplicate, actor=agent)

    event = AuditEvent.objects.get(action=ServiceRequestAuditAction.SPLIT_FROM_ORIGINAL)
    assert event.actor == agent
    assert event.data == {"original": str(original.public_id), "to": Status.ACKNOWLEDGED}


def test_a_request_that_is_not_a_duplicate_cannot_be_split(db, agent):
    service_request = ServiceRequestFactory()

    with pytest.raises(Conflict):
        split_duplicate(duplicate=service_request, actor=agent)


def test_staff_outside_the_department_get_not_found(merged, outside_agent):
    duplicate, _, _ = merged

    with pytest.raises(NotFound):
        split_duplicate(duplicate=duplicate, actor=outside_agent)
