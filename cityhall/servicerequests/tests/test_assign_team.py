from __future__ import annotations

import pytest

from cityhall.accounts.tests.team_factories import TeamFactory
from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.core.errors import InvalidInput, NotFound
from cityhall.core.models import AuditEvent
from cityhall.servicerequests.events import service_request_assigned
from cityhall.servicerequests.services import assign_team, reroute_service_request
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


@pytest.fixture
def heard():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    service_request_assigned.connect(receiver)
    yield calls
    service_request_assigned.disconnect(receiver)


def test_a_request_given_to_a_team_keeps_an_agent_who_is_a_member(db, agent, heard):
    team = TeamFactory()
    team.members.add(agent)
    service_request = ServiceRequestFactory(assignee=agent)

    assign_team(service_request=service_request, actor=agent, team=team)

    service_request.refresh_from_db()
    assert service_request.assigned_team == team
    assert service_request.assignee == agent
    assert heard == []


def test_a_request_given_to_a_team_leaves_an_agent_outside_it_and_is_announced(
    db, agent, supervisor, heard
):
    service_request = ServiceRequestFactory(assignee=agent)

    assign_team(service_request=service_request, actor=supervisor, team=TeamFactory())

    service_request.refresh_from_db()
    assert service_request.assignee is None
    assert heard[-1]["assignee"] is None
    assert heard[-1]["actor"] == supervisor


def test_giving_a_request_to_a_team_is_an_internal_step_and_audited(db, agent):
    team = TeamFactory(name_en="Night crew")
    service_request = ServiceRequestFactory()

    assign_team(service_request=service_request, actor=agent, team=team)

    step = service_request.status_changes.get()
    assert not step.is_public
    assert "Night crew" in step.internal_note
    event = AuditEvent.objects.get(action="servicerequests.assigned")
    assert event.data == {"team": str(team.public_id), "assignee": None}


def test_taking_a_request_back_from_its_team_says_which_team(db, agent):
    team = TeamFactory(name_en="Pothole crew")
    service_request = ServiceRequestFactory(assigned_team=team)

    assign_team(service_request=service_request, actor=agent, team=None)

    service_request.refresh_from_db()
    assert service_request.assigned_team is None
    assert "Pothole crew" in service_request.status_changes.get().internal_note


def test_giving_a_request_to_the_team_that_holds_it_changes_nothing(db, agent):
    team = TeamFactory()
    service_request = ServiceRequestFactory(assigned_team=team)

    assign_team(service_request=service_request, actor=agent, team=team)

    assert not service_request.status_changes.exists()


@pytest.mark.parametrize(
    "make_team",
    [
        lambda: TeamFactory(is_active=False),
        lambda: TeamFactory(department=DepartmentFactory(code="parks")),
    ],
    ids=["inactive", "other-department"],
)
def test_only_an_active_team_of_the_request_department_may_take_it(db, agent, make_team):
    service_request = ServiceRequestFactory()

    with pytest.raises(InvalidInput) as error:
        assign_team(service_request=service_request, actor=agent, team=make_team())

    assert "team" in error.value.fields
    service_request.refresh_from_db()
    assert service_request.assigned_team is None


def test_staff_outside_the_department_cannot_give_a_request_to_a_team(db, outside_agent):
    with pytest.raises(NotFound):
        assign_team(
            service_request=ServiceRequestFactory(), actor=outside_agent, team=TeamFactory()
        )


def test_a_rerouted_request_leaves_its_team(db, agent):
    service_request = ServiceRequestFactory(assigned_team=TeamFactory())

    reroute_service_request(
        service_request=service_request,
        actor=agent,
        department=DepartmentFactory(code="parks"),
        reason="Trees, not roads.",
    )

    service_request.refresh_from_db()
    assert service_request.assigned_team is None
