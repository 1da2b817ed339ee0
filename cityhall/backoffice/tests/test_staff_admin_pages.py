import pytest
from django.core import mail

from cityhall.accounts.models import StaffRole, User
from cityhall.accounts.tests.fixtures import (  # noqa: F401  (fixtures)
    empty_cache,
    give_confirmed_totp,
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
def admin_client(client, admin):
    sign_in_with_two_factor(client, admin)
    return client


def test_a_city_admin_lists_staff_and_their_roles(
    admin_client, agent, citizen, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = admin_client.get(STAFF)

    html = response.content.decode()
    assert response.status_code == 200
    assert agent.email in html
    assert "Agent (" in html
    assert citizen.email not in html


@pytest.mark.parametrize("persona", ["agent", "supervisor"])
def test_other_staff_cannot_open_the_staff_pages(client, persona, request, admin):
    sign_in_with_two_factor(client, request.getfixturevalue(persona))

    assert client.get(STAFF).status_code == 403
    assert client.get(f"{STAFF}{admin.public_id}/").status_code == 403
    assert (
        client.post(f"{STAFF}new/", {"email": "x@city.example", "full_name": "X"}).status_code
        == 403
    )
    assert not User.objects.filter(email="x@city.example").exists()


def test_staff_pages_need_a_two_factor_session(client, admin):
    client.force_login(admin)

    assert client.get(STAFF).status_code == 302


def test_a_city_admin_creates_a_staff_member_who_is_invited(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"{STAFF}new/", {"email": "new.hire@city.example", "full_name": "Noé Hire"}
        )

    user = User.objects.get(email="new.hire@city.example")
    assert response["Location"] == f"{STAFF}{user.public_id}/"
    assert user.is_staff
    assert mail.outbox[-1].to == ["new.hire@city.example"]


def test_a_malformed_address_is_shown_next_to_its_field(admin_client):
    response = admin_client.post(f"{STAFF}new/", {"email": "nope", "full_name": "X"})

    assert 'id="id_email_error"' in response.content.decode()


def test_a_city_admin_grants_and_revokes_a_role(admin_client, agent):
    parks = DepartmentFactory(code="parks")
    page = f"{STAFF}{agent.public_id}/"

    granted = admin_client.post(page, {"role": "supervisor", "department": parks.public_id})
    staff_role = StaffRole.objects.get(user=agent, role="supervisor")
    revoked = admin_client.post(f"/en/staff/roles/{staff_role.public_id}/revoke/")

    assert granted["Location"] == page
    assert revoked["Location"] == page
    assert not StaffRole.objects.filter(user=agent, role="supervisor").exists()


def test_a_role_that_does_not_fit_is_shown_next_to_the_department(admin_client, agent):
    response = admin_client.post(
        f"{STAFF}{agent.public_id}/", {"role": "department_admin", "department": ""}
    )

    assert 'id="id_department_error"' in response.content.decode()


def test_a_duplicate_role_is_reported_at_the_top_of_the_form(admin_client, agent):
    staff_role = StaffRole.objects.get(user=agent)
    assert staff_role.department is not None

    response = admin_client.post(
        f"{STAFF}{agent.public_id}/",
        {"role": staff_role.role, "department": staff_role.department.public_id},
    )

    assert "already holds this role" in response.content.decode()


def test_revoking_the_last_city_admin_role_is_refused_with_a_message(admin_client, admin):
    staff_role = StaffRole.objects.get(user=admin)

    response = admin_client.post(f"/en/staff/roles/{staff_role.public_id}/revoke/", follow=True)

    assert "at least one city administrator" in response.content.decode()
    assert StaffRole.objects.filter(pk=staff_role.pk).exists()


def test_a_citizen_is_not_found_among_staff(admin_client, citizen):
    assert admin_client.get(f"{STAFF}{citizen.public_id}/").status_code == 404


def test_revoking_needs_a_post(admin_client, agent):
    staff_role = StaffRole.objects.get(user=agent)

    assert admin_client.get(f"/en/staff/roles/{staff_role.public_id}/revoke/").status_code == 405


def test_a_city_admin_resets_a_staff_members_two_factor(admin_client, agent):
    give_confirmed_totp(agent)

    page = admin_client.get(f"{STAFF}{agent.public_id}/")
    response = admin_client.post(f"{STAFF}{agent.public_id}/two-factor/reset/")

    assert "Reset two-factor sign-in" in page.content.decode()
    assert response["Location"] == f"{STAFF}{agent.public_id}/"
    agent.refresh_from_db()
    assert agent.totp_confirmed_at is None
