import pytest

from cityhall.accounts.models import StaffRole
from cityhall.accounts.tests.factories import StaffRoleFactory
from cityhall.accounts.tests.fixtures import (  # noqa: F401  (fixtures)
    empty_cache,
    immediate_tasks,
    sign_in_pauses,
)
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.catalog.tests.factories import DepartmentFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("empty_cache", "immediate_tasks", "sign_in_pauses"),
]

STAFF = "/en/staff/staff-members/"


@pytest.fixture
def department_admin_client(client, agent):
    public_works = StaffRole.objects.get(user=agent).department
    department_admin = StaffRoleFactory(role="department_admin", department=public_works).user
    sign_in_with_two_factor(client, department_admin)
    return client


def test_a_department_admin_sees_only_their_departments_staff(
    department_admin_client, agent, outside_agent
):
    html = department_admin_client.get(STAFF).content.decode()

    assert agent.email in html
    assert outside_agent.email not in html
    assert "Add a staff member" not in html
    assert department_admin_client.get(f"{STAFF}{outside_agent.public_id}/").status_code == 404


def test_a_department_admin_grants_only_their_departments_roles(department_admin_client, agent):
    parks = DepartmentFactory(code="parks")

    html = department_admin_client.get(f"{STAFF}{agent.public_id}/").content.decode()

    department_choices = html.split('id="id_department"')[1].split("</select>")[0]
    assert '<option value="city_admin"' not in html
    assert "City-wide" not in department_choices
    assert f">{StaffRole.objects.get(user=agent).department}<" in department_choices
    assert f">{parks.name_en}<" not in department_choices


def test_a_department_admin_grants_a_role_in_their_department(department_admin_client, agent):
    public_works = StaffRole.objects.get(user=agent).department
    assert public_works is not None

    response = department_admin_client.post(
        f"{STAFF}{agent.public_id}/", {"role": "supervisor", "department": public_works.public_id}
    )

    assert response.status_code == 302
    granted = StaffRole.objects.get(user=agent, role="supervisor")
    assert granted.department == public_works


def test_a_department_admin_cannot_grant_in_another_department(department_admin_client, agent):
    parks = DepartmentFactory(code="parks")

    response = department_admin_client.post(
        f"{STAFF}{agent.public_id}/", {"role": "agent", "department": parks.public_id}
    )

    assert 'id="id_department_error"' in response.content.decode()
    assert not StaffRole.objects.filter(user=agent, department=parks).exists()


def test_a_department_admin_cannot_create_accounts(department_admin_client):
    response = department_admin_client.post(
        f"{STAFF}new/", {"email": "x@city.example", "full_name": "X"}
    )

    assert response.status_code == 403


def test_a_department_admin_revokes_a_role_in_their_department_only(
    department_admin_client, agent, outside_agent
):
    own = StaffRole.objects.get(user=agent)
    other = StaffRole.objects.get(user=outside_agent)

    revoked = department_admin_client.post(f"/en/staff/roles/{own.public_id}/revoke/")
    refused = department_admin_client.post(f"/en/staff/roles/{other.public_id}/revoke/")

    assert revoked.status_code == 302
    assert refused.status_code == 404
    assert not StaffRole.objects.filter(pk=own.pk).exists()
    assert StaffRole.objects.filter(pk=other.pk).exists()
