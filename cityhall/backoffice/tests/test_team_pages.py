"""Department administrators create teams and choose their members in the back office."""

import pytest

from cityhall.accounts.models import StaffRole, Team
from cityhall.accounts.tests.factories import StaffRoleFactory
from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.accounts.tests.team_factories import TeamFactory
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.catalog.tests.factories import DepartmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

TEAMS = "/en/staff/teams/"


@pytest.fixture
def department_admin_client(client, agent):
    public_works = StaffRole.objects.get(user=agent).department
    assert public_works is not None
    department_admin = StaffRoleFactory(role="department_admin", department=public_works).user
    sign_in_with_two_factor(client, department_admin)
    return client


def test_a_department_admin_creates_a_team_then_chooses_its_members(department_admin_client, agent):
    public_works = StaffRole.objects.get(user=agent).department
    assert public_works is not None

    created = department_admin_client.post(
        f"{TEAMS}new/",
        {
            "department": public_works.public_id,
            "name_en": "Night crew",
            "name_fr": "Équipe de nuit",
        },
    )
    team = Team.objects.get(name_en="Night crew")
    assert created.url == f"{TEAMS}{team.public_id}/"
    page = department_admin_client.get(created.url).content.decode()
    assert agent.full_name in page

    saved = department_admin_client.post(
        created.url,
        {
            "name_en": "Night crew",
            "name_fr": "Équipe de nuit",
            "members": [agent.public_id],
            "is_active": "on",
        },
    )

    assert saved.status_code == 302
    assert list(team.members.all()) == [agent]
    listing = department_admin_client.get(TEAMS).content.decode()
    assert "Night crew" in listing
    assert agent.full_name in listing


def test_a_taken_name_is_explained_beside_the_field(department_admin_client, agent):
    public_works = StaffRole.objects.get(user=agent).department
    assert public_works is not None
    TeamFactory(department=public_works, name_en="Night crew")

    response = department_admin_client.post(
        f"{TEAMS}new/",
        {"department": public_works.public_id, "name_en": "Night crew", "name_fr": "Nuit"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name_en"]
    assert "<title>Error:" in response.content.decode()


def test_a_department_admin_sees_only_their_departments_teams(department_admin_client):
    TeamFactory(name_en="Pothole crew")
    elsewhere = TeamFactory(name_en="Tree crew", department=DepartmentFactory(code="parks"))

    listing = department_admin_client.get(TEAMS).content.decode()

    assert "Pothole crew" in listing
    assert "Tree crew" not in listing
    assert department_admin_client.get(f"{TEAMS}{elsewhere.public_id}/").status_code == 404


def test_an_agent_cannot_open_the_team_pages(client, agent):
    sign_in_with_two_factor(client, agent)

    assert client.get(TEAMS).status_code in (403, 404)
