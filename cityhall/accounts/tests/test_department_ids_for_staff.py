import pytest

from cityhall.accounts.models import StaffRole
from cityhall.accounts.selectors import department_ids_for_staff
from cityhall.accounts.tests.factories import StaffRoleFactory
from cityhall.catalog.models import Department
from cityhall.catalog.tests.factories import DepartmentFactory


@pytest.mark.django_db
def test_staff_see_the_departments_where_they_hold_a_role(agent, outside_agent):
    public_works_id = StaffRole.objects.get(user=agent).department_id

    assert department_ids_for_staff(agent) == {public_works_id}


@pytest.mark.django_db
def test_the_roles_argument_narrows_the_departments(agent):
    parks = DepartmentFactory(code="parks")
    StaffRoleFactory(user=agent, role=StaffRole.Role.SUPERVISOR, department=parks)

    assert department_ids_for_staff(agent, roles={"supervisor"}) == {parks.id}


@pytest.mark.django_db
def test_a_city_wide_role_covers_every_department(admin, agent):
    DepartmentFactory(code="parks")

    assert department_ids_for_staff(admin) == set(Department.objects.values_list("id", flat=True))


@pytest.mark.django_db
def test_citizens_and_deactivated_staff_see_no_department(citizen, agent):
    agent.is_active = False

    assert department_ids_for_staff(citizen) == set()
    assert department_ids_for_staff(agent) == set()
