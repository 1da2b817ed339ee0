"""Handing a request over, moving its due date, public updates and splits, from its page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cityhall.accounts.tests.factories import (
    PartnerOrganisationFactory,
    StaffRoleFactory,
    UserFactory,
)
from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.servicerequests.models import SatisfactionRating, ServiceRequest
from cityhall.servicerequests.services import merge_duplicate
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

Status = ServiceRequest.Status


def _page(service_request: ServiceRequest, action: str = "") -> str:
    return f"/en/staff/requests/{service_request.public_id}/{action}"


@pytest.fixture
def agent_client(client, agent):
    sign_in_with_two_factor(client, agent)
    return client


def test_an_agent_assigns_a_colleague_chosen_from_the_department(agent_client, agent):
    service_request = ServiceRequestFactory()
    colleague = StaffRoleFactory(
        user=UserFactory(is_staff=True, full_name="Colette Colleague"),
        department=agent.staff_roles.get().department,
    ).user
    StaffRoleFactory(user=UserFactory(is_staff=True, full_name="Other Team"))

    page = agent_client.get(_page(service_request)).content.decode()
    agent_client.post(_page(service_request, "assign/"), {"assign-assignee": colleague.public_id})

    assert "Colette Colleague" in page
    assert "Other Team" not in page
    service_request.refresh_from_db()
    assert service_request.assignee == colleague


def test_an_agent_hands_a_request_to_another_team_with_a_reason(agent_client):
    parks = DepartmentFactory(code="parks", name_en="Parks")
    service_request = ServiceRequestFactory()

    response = agent_client.post(
        _page(service_request, "reroute/"),
        {"reroute-department": parks.public_id, "reroute-reason": "It is in a park."},
    )

    assert response["Location"] == "/en/staff/requests/"
    service_request.refresh_from_db()
    assert service_request.department == parks


def test_a_reroute_without_a_reason_is_explained_next_to_the_field(agent_client):
    parks = DepartmentFactory(code="parks")
    service_request = ServiceRequestFactory()

    response = agent_client.post(
        _page(service_request, "reroute/"), {"reroute-department": parks.public_id}
    )

    assert response.status_code == 200
    assert 'id="id_reroute-reason_error"' in response.content.decode()
    service_request.refresh_from_db()
    assert service_request.department.code == "public-works"


def test_an_agent_hands_a_request_to_a_partner_and_takes_it_back(agent_client):
    utility = PartnerOrganisationFactory(name="Hydro Rivière")
    service_request = ServiceRequestFactory()

    agent_client.post(_page(service_request, "partner/"), {"partner-partner": utility.public_id})
    service_request.refresh_from_db()
    assert service_request.assigned_partner == utility
    assert "Hydro Rivière" in agent_client.get(_page(service_request)).content.decode()

    agent_client.post(_page(service_request, "partner/"), {"partner-partner": ""})
    service_request.refresh_from_db()
    assert service_request.assigned_partner is None


def test_an_agent_moves_the_due_date_with_a_reason(agent_client):
    service_request = ServiceRequestFactory(due_at=timezone.now() + timedelta(hours=2))
    new_due = timezone.localtime(timezone.now() + timedelta(days=5)).replace(
        second=0, microsecond=0
    )

    agent_client.post(
        _page(service_request, "due-date/"),
        {"due-due_at": new_due.strftime("%Y-%m-%dT%H:%M"), "due-reason": "Waiting for parts."},
    )

    service_request.refresh_from_db()
    assert service_request.due_at == new_due
    assert service_request.due_change_reason == "Waiting for parts."


def test_a_due_date_in_the_past_is_refused_beside_the_field(agent_client):
    service_request = ServiceRequestFactory()
    past = timezone.localtime(timezone.now() - timedelta(days=1))

    response = agent_client.post(
        _page(service_request, "due-date/"),
        {"due-due_at": past.strftime("%Y-%m-%dT%H:%M"), "due-reason": "Oops."},
    )

    assert "Choose a date and time in the future." in response.content.decode()
    service_request.refresh_from_db()
    assert service_request.due_change_reason == ""


def test_a_public_update_reaches_the_citizens_timeline(agent_client):
    service_request = ServiceRequestFactory()

    agent_client.post(_page(service_request, "update/"), {"update-public_note": "Crew booked."})

    step = service_request.status_changes.get()
    assert (step.to_status, step.public_note, step.is_public) == (
        Status.SUBMITTED,
        "Crew booked.",
        True,
    )


def test_an_agent_splits_a_merged_request(agent_client, agent):
    original = ServiceRequestFactory()
    duplicate = ServiceRequestFactory(service=original.service)
    merge_duplicate(duplicate=duplicate, original=original, actor=agent)

    page = agent_client.get(_page(duplicate)).content.decode()
    agent_client.post(_page(duplicate, "split/"))

    assert "Split from the original" in page
    duplicate.refresh_from_db()
    assert duplicate.status == Status.SUBMITTED
    assert duplicate.duplicate_of is None


def test_staff_see_the_citizens_rating(agent_client, citizen):
    service_request = ServiceRequestFactory(
        reporter=citizen, status=Status.CLOSED, closed_at=timezone.now()
    )
    SatisfactionRating.objects.create(
        service_request=service_request, rater=citizen, score=2, comment="Too slow."
    )

    page = agent_client.get(_page(service_request)).content.decode()

    assert "2 out of 5" in page
    assert "Too slow." in page


@pytest.mark.parametrize("action", ["reroute/", "partner/", "due-date/", "update/", "split/"])
def test_staff_of_another_department_get_404(client, outside_agent, action):
    sign_in_with_two_factor(client, outside_agent)

    response = client.post(_page(ServiceRequestFactory(), action), {})

    assert response.status_code == 404
