"""A fresh demo city has teams of demo staff holding requests; removing it removes them."""

from io import StringIO

import pytest
from django.core.management import call_command

from cityhall.accounts.models import Team, User
from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.demo.services import remove_demo_city
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import service_requests_for_staff_queue


@pytest.fixture
def demo_city(db):
    call_command(
        "load_demo_city",
        *["--residents", "100", "--addresses", "1000", "--requests", "400"],
        stdout=StringIO(),
    )


def test_the_demo_agent_has_requests_in_their_teams_queue(demo_city):
    agent = User.objects.get(email="agent@example.org")

    queue = service_requests_for_staff_queue(
        staff=agent, teams_of=agent, statuses=sorted(ServiceRequest.Status.values)
    )

    assert queue.exists()
    assert Team.objects.get(name_en="Night crew").name_fr == "Équipe de nuit"


def test_teams_hold_only_requests_of_their_own_department(demo_city):
    held = ServiceRequest.objects.filter(assigned_team__isnull=False).select_related(
        "assigned_team"
    )

    assert held.exists()
    assert all(sr.assigned_team.department_id == sr.department_id for sr in held)


def test_removing_the_demo_city_removes_its_teams_and_keeps_others(demo_city):
    kept = Team.objects.create(
        department=DepartmentFactory(code="library-services"), name_en="Books", name_fr="Livres"
    )

    assert remove_demo_city()

    assert list(Team.objects.all()) == [kept]
