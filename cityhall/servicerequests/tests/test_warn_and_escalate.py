"""The SLA sweep: a warning at 80% of the SLA, an escalation at breach, each sent once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from cityhall.accounts.tests.factories import StaffRoleFactory, UserFactory
from cityhall.notifications.models import Notification
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.notices import SLA_BREACH_TEMPLATE, SLA_WARNING_TEMPLATE
from cityhall.servicerequests.services import warn_and_escalate
from cityhall.servicerequests.tests.factories import ServiceRequestFactory
from cityhall.servicerequests.tests.seeded_templates import (  # noqa: F401 (fixture)
    notification_templates,
)


def _submitted(ago: timedelta, due_in: timedelta, **fields) -> ServiceRequest:
    now = timezone.now()
    service_request = ServiceRequestFactory(due_at=now + due_in, **fields)
    ServiceRequest.objects.filter(pk=service_request.pk).update(created_at=now - ago)
    return service_request


def _told(template: str) -> list[str]:
    return sorted(
        Notification.objects.filter(template_code=template).values_list(
            "recipient__email", flat=True
        )
    )


def test_the_assignee_is_warned_once_80_percent_of_the_sla_has_passed(db, agent, supervisor):
    warned = _submitted(timedelta(hours=9), timedelta(hours=1), assignee=supervisor)
    _submitted(timedelta(hours=1), timedelta(hours=9), assignee=supervisor)  # 10%: not yet

    first = warn_and_escalate()
    again = warn_and_escalate()

    assert (first.warned, again.warned) == (1, 0)
    assert _told(SLA_WARNING_TEMPLATE) == [supervisor.email]
    warned.refresh_from_db()
    assert warned.sla_warned_at is not None


def test_an_unassigned_request_warns_the_departments_agents(db, agent, outside_agent):
    colleague = StaffRoleFactory(
        user=UserFactory(is_staff=True), department=agent.staff_roles.get().department
    ).user
    _submitted(timedelta(hours=9), timedelta(hours=1))

    warn_and_escalate()

    assert _told(SLA_WARNING_TEMPLATE) == sorted([agent.email, colleague.email])


def test_a_breach_is_escalated_to_the_departments_supervisors_once(db, agent, supervisor):
    late = _submitted(timedelta(hours=10), timedelta(hours=-1), assignee=agent)

    first = warn_and_escalate()
    again = warn_and_escalate()

    assert (first.escalated, again.escalated) == (1, 0)
    assert _told(SLA_BREACH_TEMPLATE) == [supervisor.email]
    late.refresh_from_db()
    assert late.sla_escalated_at is not None


def test_settled_requests_and_requests_without_a_due_date_are_left_alone(db, supervisor):
    _submitted(
        timedelta(hours=10), timedelta(hours=-1), status="resolved", resolved_at=timezone.now()
    )
    ServiceRequestFactory(due_at=None)

    sweep = warn_and_escalate()

    assert (sweep.warned, sweep.escalated) == (0, 0)


@pytest.mark.postgres
@pytest.mark.usefixtures("notification_templates")
def test_two_racing_sweeps_escalate_once(agent, supervisor):
    if connection.vendor != "postgresql":
        # SQLite serialises writers, so there is no race to test; the PostgreSQL pass runs it.
        pytest.skip("runs in the PostgreSQL pass: SQLite serialises writers")
    _submitted(timedelta(hours=10), timedelta(hours=-1), assignee=agent)
    results = []

    def sweep():
        try:
            results.append(warn_and_escalate())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(result.escalated for result in results) == [0, 1]
    assert _told(SLA_BREACH_TEMPLATE) == [supervisor.email]
