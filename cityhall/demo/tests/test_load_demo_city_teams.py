"""A fresh demo city has teams of demo staff holding open requests; removing it removes them."""

from io import StringIO

import pytest
from django.core.management import call_command

from cityhall.accounts.models import Team
from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.demo.services import remove_demo_city
from cityhall.servicerequests.models import ServiceRequest


@pytest.fixture
def demo_city(db):
    call_command(
        "load_demo_city",
        *["--residents", "100", "--addresses", "1000", "--requests", "400"],
        stdout=StringIO(),
    )


def test_demo_staff_are_members_of_their_departments_teams(demo_city):
    night_crew = Team.objects.get(name_en="Night crew")

    assert night_crew.name_fr == "Équipe de nuit"
    assert set(night_crew.members.values_list("email", flat=True)) == {
        "agent@example.org",
        "supervisor@example.org",
    }
    assert night_crew.department.code == "public-works"


def test_teams_hold_open_requests_of_their_own_department(demo_city):
    held = ServiceRequest.objects.filter(assigned_team__isnull=False).select_related(
        "assigned_team"
    )

    assert held.exists()
    assert all(
        sr.assigned_team is not None and sr.assigned_team.department_id == sr.department_id
        for sr in held
    )
    assert all(sr.is_open for sr in held)


def test_removing_the_demo_city_removes_its_teams_and_keeps_others(demo_city):
    kept = Team.objects.create(
        department=DepartmentFactory(code="library-services"), name_en="Books", name_fr="Livres"
    )

    assert remove_demo_city()

    assert list(Team.objects.all()) == [kept]
