"""Giving a request to a team from its page, and the queue's team filters."""

import pytest

from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.accounts.tests.team_factories import TeamFactory
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

QUEUE = "/en/staff/requests/"


def _page(service_request: ServiceRequest, action: str = "") -> str:
    return f"/en/staff/requests/{service_request.public_id}/{action}"


def _listed(response) -> list[str]:
    return [row.service_request.tracking_number for row in response.context["rows"]]


@pytest.fixture
def agent_client(client, agent):
    sign_in_with_two_factor(client, agent)
    return client


def test_an_agent_gives_a_request_to_a_team_and_takes_it_back(agent_client):
    TeamFactory(name_en="Night crew")
    crew = TeamFactory(name_en="Pothole crew")
    service_request = ServiceRequestFactory()

    form_page = agent_client.get(_page(service_request)).content.decode()
    assert "Assign to a team" in form_page
    assert "Night crew" in form_page

    response = agent_client.post(_page(service_request, "team/"), {"team-team": crew.public_id})
    assert response.status_code == 302
    service_request.refresh_from_db()
    assert service_request.assigned_team == crew
    assert (
        "Given to the team Pothole crew."
        in agent_client.get(_page(service_request)).content.decode()
    )

    agent_client.post(_page(service_request, "team/"), {"team-team": ""})
    service_request.refresh_from_db()
    assert service_request.assigned_team is None


def test_only_the_departments_active_teams_are_offered(agent_client):
    TeamFactory(name_en="Winter crew", is_active=False)
    elsewhere = TeamFactory(name_en="Tree crew", department=DepartmentFactory(code="parks"))
    service_request = ServiceRequestFactory()

    page = agent_client.get(_page(service_request)).content.decode()
    response = agent_client.post(
        _page(service_request, "team/"), {"team-team": elsewhere.public_id}
    )

    assert "Winter crew" not in page
    assert "Tree crew" not in page
    assert response.status_code == 200
    assert response.context["team_form"].errors["team"]
    assert "<title>Error:" in response.content.decode()
    service_request.refresh_from_db()
    assert service_request.assigned_team is None


def test_staff_of_another_department_get_404(client, outside_agent):
    sign_in_with_two_factor(client, outside_agent)

    response = client.post(
        _page(ServiceRequestFactory(), "team/"), {"team-team": TeamFactory().public_id}
    )

    assert response.status_code == 404


def test_the_queue_shows_and_filters_by_team(agent_client):
    crew = TeamFactory(name_en="Pothole crew")
    ServiceRequestFactory(tracking_number="PW-CREW", assigned_team=crew)
    ServiceRequestFactory(tracking_number="PW-POOL")

    response = agent_client.get(f"{QUEUE}?team={crew.public_id}")

    assert _listed(response) == ["PW-CREW"]
    assert "Pothole crew" in response.content.decode()


def test_my_teams_requests_are_those_of_the_teams_i_belong_to(agent_client, agent):
    mine, other = TeamFactory(name_en="Night crew"), TeamFactory(name_en="Day crew")
    mine.members.add(agent)
    ServiceRequestFactory(tracking_number="PW-MINE", assigned_team=mine)
    ServiceRequestFactory(tracking_number="PW-OTHER", assigned_team=other)

    response = agent_client.get(f"{QUEUE}?assigned=my_teams")

    assert _listed(response) == ["PW-MINE"]


def test_a_department_without_teams_gets_no_team_form(agent_client):
    page = agent_client.get(_page(ServiceRequestFactory())).content.decode()

    assert "Assign to a team" not in page


def test_the_team_form_starts_on_the_team_that_holds_the_request(agent_client):
    crew = TeamFactory(name_en="Pothole crew")

    response = agent_client.get(_page(ServiceRequestFactory(assigned_team=crew)))

    assert response.context["team_form"]["team"].value() == str(crew.public_id)
