from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cityhall.accounts.tests.team_factories import TeamFactory
from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.servicerequests.selectors import service_requests_for_staff_queue
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


def test_the_queue_holds_the_departments_open_requests_soonest_due_first(
    db, agent, django_assert_max_num_queries
):
    now = timezone.now()
    later = ServiceRequestFactory(due_at=now + timedelta(days=2))
    sooner = ServiceRequestFactory(due_at=now + timedelta(hours=1))
    ServiceRequestFactory(status="rejected")
    ServiceRequestFactory(service=ServiceFactory(department__code="parks"))

    with django_assert_max_num_queries(3):
        queue = list(service_requests_for_staff_queue(staff=agent))
        assert [item.service.code for item in queue]

    assert queue == [sooner, later]


def test_the_queue_filters_by_assignee_and_overdue(db, agent):
    now = timezone.now()
    overdue = ServiceRequestFactory(due_at=now - timedelta(hours=1), assignee=agent)
    ServiceRequestFactory(due_at=now + timedelta(hours=1), assignee=agent)
    ServiceRequestFactory(due_at=now - timedelta(hours=1))

    queue = service_requests_for_staff_queue(staff=agent, assignee=agent, overdue_at=now)

    assert list(queue) == [overdue]


def test_staff_of_another_department_see_none_of_it(db, outside_agent):
    ServiceRequestFactory()

    assert not service_requests_for_staff_queue(staff=outside_agent).exists()


def test_the_queue_narrows_to_one_team_or_to_the_teams_of_a_member(db, agent):
    night, potholes = TeamFactory(name_en="Night crew"), TeamFactory(name_en="Pothole crew")
    night.members.add(agent)
    at_night = ServiceRequestFactory(assigned_team=night)
    on_potholes = ServiceRequestFactory(assigned_team=potholes)
    ServiceRequestFactory()

    assert list(service_requests_for_staff_queue(staff=agent, team=potholes)) == [on_potholes]
    assert list(service_requests_for_staff_queue(staff=agent, teams_of=agent)) == [at_night]
