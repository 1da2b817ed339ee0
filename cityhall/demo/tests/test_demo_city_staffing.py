"""Every request the demo city routes reaches someone: a demo newcomer signing in as staff finds
the requests of the services they work on, and no department or team is left without people."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from cityhall.accounts.models import StaffRole, Team, User
from cityhall.catalog.models import RoutingRule, Service
from cityhall.demo.generator.history import DEFAULT_REQUESTS
from cityhall.servicerequests.models import ServiceRequest

#: The roles that open the work queue (cityhall.backoffice.views_requests.common).
HANDLERS = {
    StaffRole.Role.AGENT,
    StaffRole.Role.SUPERVISOR,
    StaffRole.Role.DEPARTMENT_ADMIN,
}


@pytest.fixture(scope="module")
def _loaded_once(django_db_setup, django_db_blocker):
    # The default volume of requests: fewer leave the demo staff's departments without open
    # requests, which is what a newcomer would meet with `make run`. Loaded once for the
    # module, since it takes a while, inside a transaction rolled back after the module, so
    # that nothing (audit lines included) outlives it.
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "load_demo_city",
            *["--residents", "60", "--addresses", "400", "--requests", str(DEFAULT_REQUESTS)],
            stdout=StringIO(),
        )
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_city(_loaded_once, db):
    return None


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


def test_the_demo_agent_and_supervisor_start_with_open_requests_of_their_own(demo_city):
    for email in ("agent@example.org", "supervisor@example.org"):
        held = ServiceRequest.objects.filter(
            assignee__email=email, status__in=sorted(ServiceRequest.OPEN_STATUSES)
        )

        assert held.exists(), email


def test_the_demo_agent_holds_the_most_urgent_open_requests_of_their_departments(demo_city):
    agent = User.objects.get(email="agent@example.org")
    open_requests = ServiceRequest.objects.filter(
        department__in=agent.staff_roles.values("department"),
        status__in=sorted(ServiceRequest.OPEN_STATUSES),
        assigned_partner__isnull=True,
        due_at__isnull=False,
    )

    most_urgent = open_requests.order_by("due_at", "id").first()

    assert most_urgent is not None
    assert most_urgent.assignee == agent
