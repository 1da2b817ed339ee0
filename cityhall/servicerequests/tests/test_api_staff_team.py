"""Teams in the staff API: giving a request to a team of its department, and the queue filters."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from cityhall.accounts.tests.api_callers import token_headers
from cityhall.accounts.tests.team_factories import TeamFactory
from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


@pytest.fixture
def api(agent):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=token_headers(agent)["Authorization"])
    return client


def _url(service_request) -> str:
    return f"/api/v1/staff/requests/{service_request.public_id}/team"


def test_staff_give_a_request_to_a_team_and_take_it_back(api):
    service_request = ServiceRequestFactory()
    crew = TeamFactory()

    given = api.put(_url(service_request), {"team": str(crew.public_id)}, format="json")
    service_request.refresh_from_db()
    assert given.status_code == 200
    assert service_request.assigned_team == crew
    assert given.json()["team"] == str(crew.public_id)

    taken_back = api.put(_url(service_request), {"team": None}, format="json")
    service_request.refresh_from_db()
    assert taken_back.status_code == 200
    assert service_request.assigned_team is None
    assert taken_back.json()["team"] is None


@pytest.mark.parametrize(
    "make_team",
    [
        lambda: TeamFactory(is_active=False),
        lambda: TeamFactory(department=DepartmentFactory(code="parks")),
        lambda: TeamFactory.build(public_id=uuid.uuid4()),
    ],
    ids=["inactive", "other-department", "unknown"],
)
def test_a_team_the_request_cannot_go_to_is_a_400_on_team(api, make_team):
    service_request = ServiceRequestFactory()

    response = api.put(_url(service_request), {"team": str(make_team().public_id)}, format="json")

    service_request.refresh_from_db()
    assert response.status_code == 400
    assert response.json()["error"]["fields"].keys() == {"team"}
    assert service_request.assigned_team is None


def test_another_departments_request_is_404(outside_agent):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=token_headers(outside_agent)["Authorization"])

    response = api.put(_url(ServiceRequestFactory()), {"team": None}, format="json")

    assert response.status_code == 404


def test_the_queue_filters_by_team_and_by_my_teams(api, agent):
    night, potholes = TeamFactory(), TeamFactory()
    night.members.add(agent)
    at_night = ServiceRequestFactory(assigned_team=night)
    on_potholes = ServiceRequestFactory(assigned_team=potholes)
    ServiceRequestFactory()

    by_team = api.get("/api/v1/staff/requests", {"team": str(potholes.public_id)}).json()
    my_teams = api.get("/api/v1/staff/requests", {"my_teams": "true"}).json()

    assert [item["id"] for item in by_team["results"]] == [str(on_potholes.public_id)]
    assert by_team["results"][0]["team"] == str(potholes.public_id)
    assert [item["id"] for item in my_teams["results"]] == [str(at_night.public_id)]
