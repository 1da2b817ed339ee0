from __future__ import annotations

import pytest

from cityhall.accounts.tests.factories import StaffRoleFactory
from cityhall.accounts.tests.team_factories import TeamFactory
from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.core.errors import InvalidInput, NotFound
from cityhall.core.models import AuditEvent
from cityhall.servicerequests.services import TEAM_SAVED, save_team


@pytest.fixture
def works():
    return DepartmentFactory(code="public-works")


@pytest.fixture
def department_admin(works):
    return StaffRoleFactory(role="department_admin", department=works).user


def test_a_department_administrator_creates_a_team_of_its_staff(db, works, department_admin, agent):
    team = save_team(
        actor=department_admin,
        department=works,
        team=None,
        name_en=" Night crew ",
        name_fr="Équipe de nuit",
        members=[agent],
    )

    assert (team.name_en, team.name_fr, team.is_active) == ("Night crew", "Équipe de nuit", True)
    assert list(team.members.all()) == [agent]
    assert AuditEvent.objects.get(action=TEAM_SAVED).data["members"] == [str(agent.public_id)]


def test_changing_a_team_replaces_its_members_and_may_deactivate_it(
    db, works, department_admin, agent, supervisor
):
    team = TeamFactory(department=works)
    team.members.add(agent)

    save_team(
        actor=department_admin,
        department=works,
        team=team,
        name_en=team.name_en,
        name_fr=team.name_fr,
        members=[supervisor],
        is_active=False,
    )

    team.refresh_from_db()
    assert list(team.members.all()) == [supervisor]
    assert not team.is_active


def test_someone_of_another_department_cannot_be_a_member(
    db, works, department_admin, outside_agent
):
    with pytest.raises(InvalidInput) as error:
        save_team(
            actor=department_admin,
            department=works,
            team=None,
            name_en="Night crew",
            name_fr="Équipe de nuit",
            members=[outside_agent],
        )

    assert error.value.fields.keys() == {"members"}


def test_names_are_required_and_unique_in_the_department(db, works, department_admin):
    TeamFactory(department=works, name_en="Night crew", name_fr="Équipe de nuit")

    with pytest.raises(InvalidInput) as error:
        save_team(
            actor=department_admin,
            department=works,
            team=None,
            name_en="night crew",
            name_fr="  ",
            members=[],
        )

    assert error.value.fields.keys() == {"name_en", "name_fr"}


@pytest.mark.parametrize("who", ["agent", "other_department_admin"])
def test_only_the_departments_administrators_keep_its_teams(db, works, agent, who):
    actor = agent
    if who == "other_department_admin":
        parks = DepartmentFactory(code="parks")
        actor = StaffRoleFactory(role="department_admin", department=parks).user

    with pytest.raises(NotFound):
        save_team(actor=actor, department=works, team=None, name_en="A", name_fr="B", members=[])
