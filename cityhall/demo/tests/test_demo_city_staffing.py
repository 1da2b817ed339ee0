"""Every request the demo city routes reaches someone: a demo newcomer signing in as staff finds
the requests of the services they work on, and no department or team is left without people."""

from io import StringIO

import pytest
from django.core.management import call_command

from cityhall.accounts.models import StaffRole, Team, User
from cityhall.catalog.models import RoutingRule, Service

#: The roles that open the work queue (cityhall.backoffice.views_requests.common).
HANDLERS = {
    StaffRole.Role.AGENT,
    StaffRole.Role.SUPERVISOR,
    StaffRole.Role.DEPARTMENT_ADMIN,
}


@pytest.fixture
def demo_city(db):
    call_command(
        "load_demo_city",
        *["--residents", "60", "--addresses", "400", "--requests", "200"],
        stdout=StringIO(),
    )


def _departments_with_handlers() -> set[int]:
    # A city-wide administrator sees everything, so only department roles count here.
    return set(
        StaffRole.objects.filter(
            role__in=HANDLERS, department__isnull=False, user__is_active=True
        ).values_list("department_id", flat=True)
    )


def test_every_department_a_service_routes_to_has_active_staff_who_handle_requests(demo_city):
    staffed = _departments_with_handlers()
    services = Service.objects.filter(is_active=True, accepts_requests=True)
    routed_to = {service.department_id: service.code for service in services}
    for rule in RoutingRule.objects.filter(service__in=services).select_related("service"):
        routed_to[rule.department_id] = rule.service.code

    unstaffed = {code for department_id, code in routed_to.items() if department_id not in staffed}

    assert services.exists()
    assert unstaffed == set()


def test_every_demo_team_has_an_active_member_who_sees_its_requests(demo_city):
    teams = Team.objects.prefetch_related("members")

    empty = [
        team.name_en
        for team in teams
        if not any(
            member.is_active
            and member.staff_roles.filter(role__in=HANDLERS, department=team.department).exists()
            for member in team.members.all()
        )
    ]

    assert teams.exists()
    assert empty == []


def test_the_demo_public_works_agent_and_supervisor_see_potholes(demo_city):
    pothole = Service.objects.get(code="pothole")

    for email in ("agent@example.org", "supervisor@example.org"):
        user = User.objects.get(email=email)
        assert user.staff_roles.filter(department=pothole.department).exists(), email
