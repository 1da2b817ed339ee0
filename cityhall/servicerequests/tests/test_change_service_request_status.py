from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from cityhall.core.errors import Conflict, NotFound
from cityhall.core.models import AuditEvent
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import change_service_request_status
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

Status = ServiceRequest.Status


@pytest.fixture
def service_request(citizen):
    return ServiceRequestFactory(reporter=citizen)


def move(service_request, actor, *statuses):
    for status in statuses:
        change_service_request_status(
            service_request=service_request, actor=actor, to_status=status
        )


def test_staff_walk_a_request_through_its_whole_life(service_request, agent):
    move(service_request, agent, "acknowledged", "in_progress", "on_hold", "in_progress")
    move(service_request, agent, "resolved", "closed")

    service_request.refresh_from_db()
    assert service_request.status == Status.CLOSED
    assert service_request.resolved_at is not None
    assert service_request.closed_at is not None
    assert list(service_request.status_changes.values_list("to_status", flat=True)) == [
        "acknowledged", "in_progress", "on_hold", "in_progress", "resolved", "closed",
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="servicerequests.status_changed").count() == 6


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], "in_progress"),
        ([], "resolved"),
        ([], "closed"),
        (["acknowledged"], "on_hold"),
        (["acknowledged", "in_progress"], "closed"),
        (["acknowledged", "in_progress"], "duplicate"),
        (["rejected"], "in_progress"),
    ],
)
def test_staff_cannot_skip_or_leave_the_transition_table(service_request, agent, path, refused):
    move(service_request, agent, *path)

    with pytest.raises(Conflict):
        move(service_request, agent, refused)

    service_request.refresh_from_db()
    assert service_request.status == (path[-1] if path else "submitted")


def test_public_and_internal_notes_are_kept_apart(service_request, agent):
    step = change_service_request_status(
        service_request=service_request,
        actor=agent,
        to_status="acknowledged",
        public_note="A crew will come this week.",
        internal_note="Needs the big truck.",
    )

    assert step.public_note == "A crew will come this week."
    assert step.internal_note == "Needs the big truck."
    assert step.from_status == "submitted"


def test_the_reporter_is_told_of_a_status_change(
    service_request, agent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        move(service_request, agent, "acknowledged")

    assert [message.to for message in mailoutbox] == [[service_request.reporter.email]]


def test_staff_outside_the_department_get_not_found(service_request, outside_agent):
    with pytest.raises(NotFound):
        move(service_request, outside_agent, "acknowledged")


def test_a_city_admin_may_change_any_request(service_request, admin):
    move(service_request, admin, "acknowledged")

    assert service_request.status == Status.ACKNOWLEDGED


def test_the_reporter_may_reopen_a_closed_request_within_14_days(service_request, agent, citizen):
    move(service_request, agent, "acknowledged", "in_progress", "resolved", "closed")

    with freeze_time(timezone.now() + timedelta(days=13)):
        move(service_request, citizen, "in_progress")

    service_request.refresh_from_db()
    assert service_request.status == Status.IN_PROGRESS
    assert service_request.closed_at is None
    assert service_request.resolved_at is None


def test_the_reporter_cannot_reopen_after_14_days(service_request, agent, citizen):
    move(service_request, agent, "acknowledged", "in_progress", "resolved")

    with freeze_time(timezone.now() + timedelta(days=15)), pytest.raises(Conflict):
        move(service_request, citizen, "in_progress")


def test_the_reporter_cannot_move_an_open_request(service_request, citizen):
    with pytest.raises(Conflict):
        move(service_request, citizen, "acknowledged")


def test_another_citizen_gets_not_found(service_request, other_citizen):
    with pytest.raises(NotFound):
        move(service_request, other_citizen, "in_progress")
