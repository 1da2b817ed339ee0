import pytest

from cityhall.accounts.models import StaffRole
from cityhall.accounts.services import grant_staff_role, revoke_staff_role
from cityhall.accounts.tests.factories import StaffRoleFactory
from cityhall.core.errors import Conflict, PermissionDenied
from cityhall.core.models import AuditEvent

Role = StaffRole.Role


@pytest.mark.django_db
def test_a_city_admin_revokes_a_role(admin, agent):
    staff_role = StaffRole.objects.get(user=agent)

    revoke_staff_role(actor=admin, staff_role=staff_role)

    assert not StaffRole.objects.filter(user=agent).exists()
    event = AuditEvent.objects.get(action="accounts.staff_role_revoked")
    assert event.data == {"role": "agent", "department": "public-works"}


@pytest.mark.django_db
def test_a_department_admin_revokes_only_in_their_own_department(agent, outside_agent):
    public_works = StaffRole.objects.get(user=agent).department
    department_admin = StaffRoleFactory(role=Role.DEPARTMENT_ADMIN, department=public_works).user

    revoke_staff_role(actor=department_admin, staff_role=StaffRole.objects.get(user=agent))
    with pytest.raises(PermissionDenied):
        revoke_staff_role(
            actor=department_admin, staff_role=StaffRole.objects.get(user=outside_agent)
        )

    assert StaffRole.objects.filter(user=outside_agent).exists()


@pytest.mark.django_db
def test_an_agent_cannot_revoke_roles(agent, supervisor):
    with pytest.raises(PermissionDenied):
        revoke_staff_role(actor=agent, staff_role=StaffRole.objects.get(user=supervisor))


@pytest.mark.django_db
def test_the_last_city_admin_role_cannot_be_revoked(admin):
    with pytest.raises(Conflict):
        revoke_staff_role(actor=admin, staff_role=StaffRole.objects.get(user=admin))

    assert StaffRole.objects.filter(user=admin, role=Role.CITY_ADMIN).exists()


@pytest.mark.django_db
def test_a_city_admin_role_can_be_revoked_while_another_remains(admin, supervisor):
    grant_staff_role(actor=admin, user=supervisor, role=Role.CITY_ADMIN, department=None)

    revoke_staff_role(
        actor=supervisor, staff_role=StaffRole.objects.get(user=admin, role=Role.CITY_ADMIN)
    )

    assert not StaffRole.objects.filter(user=admin).exists()
    assert StaffRole.objects.filter(user=supervisor, role=Role.SUPERVISOR).exists()
