import pytest

from cityhall.accounts.models import PartnerMembership, StaffRole
from cityhall.accounts.selectors import (
    get_api_key_for_admin,
    get_partner_membership_for_admin,
    get_partner_organisation_for_admin,
    get_staff_member_for_admin,
    get_staff_role_for_admin,
    get_user_by_email_for_admin,
    partner_memberships_for_admin,
    partner_organisations_for_admin,
    staff_members_for_admin,
)
from cityhall.accounts.services import create_api_key
from cityhall.accounts.tests.factories import PartnerOrganisationFactory, StaffRoleFactory
from cityhall.core.errors import NotFound


@pytest.mark.django_db
def test_a_city_admin_lists_staff_with_their_roles_in_few_queries(
    admin, agent, supervisor, citizen, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        listed = {
            user.email: [role.role for role in user.staff_roles.all()]
            for user in staff_members_for_admin(actor=admin)
        }

    assert listed == {
        admin.email: ["city_admin"],
        agent.email: ["agent"],
        supervisor.email: ["supervisor"],
    }


@pytest.mark.django_db
def test_a_city_admin_opens_a_staff_member_and_a_role(admin, agent):
    staff_role = StaffRole.objects.get(user=agent)

    assert get_staff_member_for_admin(actor=admin, public_id=agent.public_id) == agent
    assert get_staff_role_for_admin(actor=admin, public_id=staff_role.public_id) == staff_role


@pytest.mark.django_db
def test_a_citizen_is_not_a_staff_member_to_open(admin, citizen):
    with pytest.raises(NotFound):
        get_staff_member_for_admin(actor=admin, public_id=citizen.public_id)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["agent", "supervisor", "citizen", "partner"])
def test_anyone_but_a_city_admin_gets_not_found(persona, request, admin):
    actor = request.getfixturevalue(persona)
    organisation = PartnerOrganisationFactory()
    api_key = create_api_key(
        actor=admin, organisation=organisation, name="K", scopes=["requests:read"]
    ).api_key

    with pytest.raises(NotFound):
        staff_members_for_admin(actor=actor)
    with pytest.raises(NotFound):
        get_staff_member_for_admin(actor=actor, public_id=admin.public_id)
    with pytest.raises(NotFound):
        partner_organisations_for_admin(actor=actor)
    with pytest.raises(NotFound):
        get_partner_organisation_for_admin(actor=actor, public_id=organisation.public_id)
    with pytest.raises(NotFound):
        get_api_key_for_admin(actor=actor, public_id=api_key.public_id)


@pytest.mark.django_db
def test_a_department_admin_opens_roles_of_their_department_only(agent, outside_agent):
    public_works = StaffRole.objects.get(user=agent).department
    department_admin = StaffRoleFactory(role="department_admin", department=public_works).user

    own = get_staff_role_for_admin(
        actor=department_admin, public_id=StaffRole.objects.get(user=agent).public_id
    )
    with pytest.raises(NotFound):
        get_staff_role_for_admin(
            actor=department_admin, public_id=StaffRole.objects.get(user=outside_agent).public_id
        )

    assert own.user == agent


@pytest.mark.django_db
def test_a_city_admin_finds_an_account_by_email_and_others_get_not_found(admin, agent, citizen):
    assert get_user_by_email_for_admin(actor=admin, email=citizen.email.upper()) == citizen
    with pytest.raises(NotFound):
        get_user_by_email_for_admin(actor=admin, email="nobody@example.org")
    with pytest.raises(NotFound):
        get_user_by_email_for_admin(actor=agent, email=citizen.email)


@pytest.mark.django_db
def test_memberships_are_for_a_city_admin_only(admin, agent, partner):
    membership = PartnerMembership.objects.get(user=partner)

    assert list(
        partner_memberships_for_admin(actor=admin, organisation=membership.organisation)
    ) == [membership]
    assert (
        get_partner_membership_for_admin(actor=admin, public_id=membership.public_id) == membership
    )
    with pytest.raises(NotFound):
        partner_memberships_for_admin(actor=agent, organisation=membership.organisation)
    with pytest.raises(NotFound):
        get_partner_membership_for_admin(actor=agent, public_id=membership.public_id)
