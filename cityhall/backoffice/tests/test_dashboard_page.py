"""The staff home: each role lands on what it works on, with counts that link to the work."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cityhall.accounts.tests.factories import StaffRoleFactory, UserFactory
from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.accounts.tests.team_factories import TeamFactory
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.catalog.models import Department
from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

HOME = "/en/staff/"


def _request(*, age_hours: float, due_in_hours: float | None, **fields) -> ServiceRequest:
    now = timezone.now()
    due_at = now + timedelta(hours=due_in_hours) if due_in_hours is not None else None
    service_request = ServiceRequestFactory(due_at=due_at, **fields)
    ServiceRequest.objects.filter(pk=service_request.pk).update(
        created_at=now - timedelta(hours=age_hours)
    )
    return service_request


def _staff(role: str, department_code: str | None = "public-works"):
    user = UserFactory(is_staff=True)
    department = (
        Department.objects.get_or_create(
            code=department_code, defaults={"name_en": "Public Works", "name_fr": "Travaux"}
        )[0]
        if department_code
        else None
    )
    StaffRoleFactory(user=user, role=role, department=department)
    return user


def _cards(response) -> dict[str, tuple[int, str]]:
    return {card.key: (card.count, card.url) for card in response.context["cards"]}


def test_an_agent_lands_on_their_open_requests_and_those_at_risk(client, agent):
    _request(age_hours=1, due_in_hours=48, assignee=agent)  # on time
    _request(age_hours=9, due_in_hours=1, assignee=agent)  # due soon
    _request(age_hours=10, due_in_hours=-1, assignee=agent)  # overdue
    _request(age_hours=10, due_in_hours=-1)  # overdue, but nobody's: the pool
    sign_in_with_two_factor(client, agent)

    cards = _cards(client.get(HOME))

    assert cards["mine"] == (3, "/en/staff/requests/?assigned=mine")
    assert cards["mine_due_soon"] == (1, "/en/staff/requests/?assigned=mine&sla=due_soon")
    assert cards["mine_overdue"] == (1, "/en/staff/requests/?assigned=mine&sla=overdue")
    assert cards["unassigned"] == (1, "/en/staff/requests/?assigned=unassigned")
    assert "backlog" not in cards


def test_a_supervisor_lands_on_the_backlog_its_breaches_and_the_unassigned(client, supervisor):
    colleague = _staff("agent")
    _request(age_hours=1, due_in_hours=48, assignee=colleague)
    _request(age_hours=10, due_in_hours=-1, assignee=colleague)
    _request(age_hours=10, due_in_hours=-2)
    _request(age_hours=9, due_in_hours=1)
    _request(age_hours=9, due_in_hours=-1, service__department__code="parks")  # not theirs
    team = TeamFactory(department=Department.objects.get(code="public-works"))
    team.members.add(supervisor)
    _request(age_hours=1, due_in_hours=48, assigned_team=team)
    sign_in_with_two_factor(client, supervisor)

    cards = _cards(client.get(HOME))

    assert cards["backlog"] == (5, "/en/staff/requests/")
    assert cards["overdue"] == (2, "/en/staff/requests/?sla=overdue")
    assert cards["due_soon"] == (1, "/en/staff/requests/?sla=due_soon")
    assert cards["unassigned"] == (3, "/en/staff/requests/?assigned=unassigned")
    assert cards["my_teams"] == (1, "/en/staff/requests/?assigned=my_teams")


def test_a_department_administrator_lands_on_the_catalog_teams_and_staff(client):
    administrator = _staff("department_admin")
    department = Department.objects.get(code="public-works")
    ServiceFactory.create_batch(2, department=department)
    ServiceFactory(department__code="parks")
    TeamFactory(department=department)
    _staff("agent")
    sign_in_with_two_factor(client, administrator)

    cards = _cards(client.get(HOME))

    assert cards["services"] == (2, "/en/staff/services/")
    assert cards["teams"] == (1, "/en/staff/teams/")
    assert cards["staff"] == (2, "/en/staff/staff-members/")


def test_a_communications_officer_lands_on_the_message_texts(client):
    officer = _staff("communications_officer", "communications")
    sign_in_with_two_factor(client, officer)

    response = client.get(HOME)

    cards = _cards(response)
    assert cards["notification_events"][1] == "/en/staff/notifications/"
    assert cards["notification_events"][0] >= 1
    assert "mine" not in cards


def test_a_privacy_officer_lands_on_the_staff_reads_of_citizens_files(client, agent):
    officer = _staff("privacy_officer", None)
    read = ServiceRequestFactory(tracking_number="PW-26-000042")
    sign_in_with_two_factor(client, agent)
    client.get(f"/en/staff/requests/{read.public_id}/")
    client.logout()
    sign_in_with_two_factor(client, officer)

    response = client.get(HOME)

    content = response.content.decode()
    assert _cards(response)["staff_reads"][0] == 1
    assert "PW-26-000042" in content
    assert agent.full_name in content
    assert "Choose where to start:" not in content


def test_every_role_gets_something_to_work_on(client):
    for role, department in [
        ("agent", "public-works"),
        ("supervisor", "public-works"),
        ("department_admin", "public-works"),
        ("communications_officer", "communications"),
        ("privacy_officer", None),
        ("city_admin", None),
    ]:
        user = _staff(role, department)
        sign_in_with_two_factor(client, user)

        response = client.get(HOME)

        assert response.status_code == 200, role
        assert response.context["cards"], role
        client.logout()


def test_the_city_administrator_gets_an_overview_in_a_bounded_number_of_queries(
    client, admin, django_assert_max_num_queries
):
    for hours in range(30):
        _request(age_hours=hours, due_in_hours=24 - hours)
    sign_in_with_two_factor(client, admin)

    # Each selector checks the role it needs; none reads per request.
    with django_assert_max_num_queries(25):
        response = client.get(HOME)

    cards = _cards(response)
    assert cards["backlog"][0] == 30
    assert {"services", "teams", "staff", "partners", "notification_events"} <= set(cards)


def test_an_overseer_without_requests_of_their_own_sees_the_backlog_only(client, admin):
    _request(age_hours=1, due_in_hours=48)
    sign_in_with_two_factor(client, admin)

    cards = _cards(client.get(HOME))

    assert "mine" not in cards
    assert cards["backlog"][0] == 1
