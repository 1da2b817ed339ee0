import pytest

from cityhall.accounts.models import StaffRole
from cityhall.accounts.selectors import roles_for_staff
from cityhall.accounts.tests.factories import StaffRoleFactory


@pytest.mark.django_db
def test_a_staff_member_holds_the_roles_of_their_rows(agent):
    StaffRoleFactory(user=agent, role=StaffRole.Role.SUPERVISOR)

    assert roles_for_staff(agent) == {"agent", "supervisor"}


@pytest.mark.django_db
def test_a_citizen_holds_no_role(citizen):
    assert roles_for_staff(citizen) == set()


@pytest.mark.django_db
def test_a_deactivated_staff_member_holds_no_role(agent):
    agent.is_active = False

    assert roles_for_staff(agent) == set()
