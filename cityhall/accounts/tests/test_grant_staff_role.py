import pytest

from cityhall.accounts.models import StaffRole
from cityhall.accounts.services import grant_staff_role
from cityhall.accounts.tests.factories import StaffRoleFactory, UserFactory
from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.core.errors import Conflict, InvalidInput, PermissionDenied
from cityhall.core.models import AuditEvent

Role = StaffRole.Role


@pytest.fixture
def department_admin(db):
    return StaffRoleFactory(
        role=Role.DEPARTMENT_ADMIN, department=DepartmentFactory(code="public-works")
    ).user


@pytest.mark.django_db
def test_a_city_admin_grants_any_role_anywhere(admin, citizen):
    parks = DepartmentFactory(code="parks")

    staff_role = grant_staff_role(actor=admin, user=citizen, role=Role.SUPERVISOR, department=parks)

    citizen.refresh_from_db()
    assert citizen.is_staff
    assert (staff_role.role, staff_role.department) == (Role.SUPERVISOR, parks)
    event = AuditEvent.objects.get(action="accounts.staff_role_granted")
    assert event.data == {"role": "supervisor", "department": "parks"}


@pytest.mark.django_db
def test_a_city_admin_grants_a_city_wide_role(admin, citizen):
    grant_staff_role(actor=admin, user=citizen, role=Role.CITY_ADMIN, department=None)

    assert StaffRole.objects.filter(user=citizen, role=Role.CITY_ADMIN, department=None).exists()


@pytest.mark.django_db
def test_a_department_admin_grants_roles_in_their_own_department(department_admin):
    newcomer = UserFactory()
    own = StaffRole.objects.get(user=department_admin).department

    grant_staff_role(actor=department_admin, user=newcomer, role=Role.AGENT, department=own)

    assert StaffRole.objects.filter(user=newcomer, department=own).exists()


@pytest.mark.django_db
def test_a_department_admin_cannot_grant_roles_in_another_department(department_admin):
    with pytest.raises(PermissionDenied):
        grant_staff_role(
            actor=department_admin,
            user=UserFactory(),
            role=Role.AGENT,
            department=DepartmentFactory(code="parks"),
        )


@pytest.mark.django_db
def test_a_department_admin_cannot_grant_city_wide_roles(department_admin):
    with pytest.raises(PermissionDenied):
        grant_staff_role(
            actor=department_admin, user=UserFactory(), role=Role.AGENT, department=None
        )
    with pytest.raises(PermissionDenied):
        grant_staff_role(
            actor=department_admin, user=UserFactory(), role=Role.CITY_ADMIN, department=None
        )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["agent", "supervisor", "citizen"])
def test_other_staff_and_citizens_cannot_grant_roles(persona, request):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        grant_staff_role(
            actor=actor, user=UserFactory(), role=Role.AGENT, department=DepartmentFactory()
        )


@pytest.mark.django_db
def test_a_role_that_does_not_fit_its_department_is_refused(admin, citizen):
    department = DepartmentFactory()

    with pytest.raises(InvalidInput) as city_admin_in_department:
        grant_staff_role(actor=admin, user=citizen, role=Role.CITY_ADMIN, department=department)
    with pytest.raises(InvalidInput) as department_admin_city_wide:
        grant_staff_role(actor=admin, user=citizen, role=Role.DEPARTMENT_ADMIN, department=None)
    with pytest.raises(InvalidInput) as unknown_role:
        grant_staff_role(actor=admin, user=citizen, role="mayor", department=None)

    assert "department" in city_admin_in_department.value.fields
    assert "department" in department_admin_city_wide.value.fields
    assert "role" in unknown_role.value.fields


@pytest.mark.django_db
def test_granting_a_role_twice_is_a_conflict(admin, agent):
    staff_role = StaffRole.objects.get(user=agent)

    with pytest.raises(Conflict):
        grant_staff_role(
            actor=admin, user=agent, role=staff_role.role, department=staff_role.department
        )
