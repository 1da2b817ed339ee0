import pytest

from cityhall.accounts.models import ApiKey, PartnerMembership, PartnerOrganisation
from cityhall.accounts.services import authenticate_api_key, create_api_key
from cityhall.accounts.tests.factories import PartnerOrganisationFactory
from cityhall.accounts.tests.fixtures import empty_cache, immediate_tasks, sign_in_pauses  # noqa: F401  (fixtures)
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("empty_cache", "immediate_tasks", "sign_in_pauses"),
]

PARTNERS = "/en/staff/partners/"


@pytest.fixture
def admin_client(client, admin):
    sign_in_with_two_factor(client, admin)
    return client


def test_a_city_admin_lists_partner_organisations(admin_client):
    PartnerOrganisationFactory(name="Hydro Rivière")

    response = admin_client.get(PARTNERS)

    assert "Hydro Rivière" in response.content.decode()


def test_a_city_admin_registers_an_organisation(admin_client):
    response = admin_client.post(
        f"{PARTNERS}new/", {"name": "Hydro", "kind": "utility", "email": ""}
    )

    organisation = PartnerOrganisation.objects.get(name="Hydro")
    assert response["Location"] == f"{PARTNERS}{organisation.public_id}/"


def test_a_taken_name_is_reported_on_the_form(admin_client):
    PartnerOrganisationFactory(name="Hydro")

    response = admin_client.post(f"{PARTNERS}new/", {"name": "hydro", "kind": "utility"})

    assert "already exists" in response.content.decode()


def test_the_new_key_is_shown_once_and_works(admin_client):
    organisation = PartnerOrganisationFactory()

    response = admin_client.post(
        f"{PARTNERS}{organisation.public_id}/keys/",
        {"name": "Work orders", "scopes": ["requests:read"]},
    )
    detail = admin_client.get(f"{PARTNERS}{organisation.public_id}/")

    html = response.content.decode()
    api_key = ApiKey.objects.get(organisation=organisation)
    key = html.split('id="api-key" type="text" readonly value="')[1].split('"')[0]
    assert response["Cache-Control"] == "no-store"
    assert authenticate_api_key(raw_key=key) == api_key
    assert key.split(".")[1] not in detail.content.decode()
    assert api_key.prefix in detail.content.decode()


def test_a_key_without_scopes_is_refused_next_to_the_scopes(admin_client):
    organisation = PartnerOrganisationFactory()

    response = admin_client.post(f"{PARTNERS}{organisation.public_id}/keys/", {"name": "K"})

    html = response.content.decode()
    assert 'id="id_scopes_error"' in html
    assert '<a href="#id_scopes">' in html
    assert '<fieldset id="id_scopes"' in html
    assert not ApiKey.objects.exists()


def test_a_city_admin_revokes_a_key(admin_client, admin):
    organisation = PartnerOrganisationFactory()
    api_key = create_api_key(
        actor=admin, organisation=organisation, name="K", scopes=["requests:read"]
    ).api_key

    response = admin_client.post(f"/en/staff/keys/{api_key.public_id}/revoke/")

    api_key.refresh_from_db()
    assert response["Location"] == f"{PARTNERS}{organisation.public_id}/"
    assert api_key.is_revoked


@pytest.mark.parametrize("persona", ["agent", "supervisor"])
def test_other_staff_cannot_manage_partners(client, persona, request, admin):
    organisation = PartnerOrganisationFactory()
    api_key = create_api_key(
        actor=admin, organisation=organisation, name="K", scopes=["requests:read"]
    ).api_key
    sign_in_with_two_factor(client, request.getfixturevalue(persona))

    assert client.get(PARTNERS).status_code == 403
    assert (
        client.post(
            f"{PARTNERS}{organisation.public_id}/keys/", {"name": "K", "scopes": ["requests:read"]}
        ).status_code
        == 403
    )
    assert client.post(f"/en/staff/keys/{api_key.public_id}/revoke/").status_code == 403
    api_key.refresh_from_db()
    assert not api_key.is_revoked
    assert ApiKey.objects.count() == 1


def test_an_unknown_organisation_is_not_found(admin_client, admin):
    assert admin_client.get(f"{PARTNERS}{admin.public_id}/").status_code == 404


def test_a_city_admin_adds_and_removes_a_member(admin_client, citizen):
    organisation = PartnerOrganisationFactory()
    detail = f"{PARTNERS}{organisation.public_id}/"

    added = admin_client.post(
        f"{detail}members/", {"member-email": citizen.email.upper(), "member-is_manager": "on"}
    )
    membership = PartnerMembership.objects.get(organisation=organisation, user=citizen)
    page = admin_client.get(detail)
    removed = admin_client.post(f"/en/staff/memberships/{membership.public_id}/remove/")

    assert added["Location"] == removed["Location"] == detail
    assert membership.is_manager
    assert citizen.email in page.content.decode()
    assert not PartnerMembership.objects.filter(organisation=organisation).exists()


def test_adding_an_address_without_an_account_is_shown_next_to_the_field(admin_client):
    organisation = PartnerOrganisationFactory()

    response = admin_client.post(
        f"{PARTNERS}{organisation.public_id}/members/", {"member-email": "nobody@example.org"}
    )

    html = response.content.decode()
    assert 'id="id_member-email_error"' in html
    assert "No account uses this address." in html


def test_adding_a_member_twice_is_reported_at_the_top(admin_client, partner):
    organisation = PartnerMembership.objects.get(user=partner).organisation

    response = admin_client.post(
        f"{PARTNERS}{organisation.public_id}/members/", {"member-email": partner.email}
    )

    assert "already a member" in response.content.decode()


def test_an_agent_cannot_remove_a_member(client, agent, partner):
    membership = PartnerMembership.objects.get(user=partner)
    sign_in_with_two_factor(client, agent)

    response = client.post(f"/en/staff/memberships/{membership.public_id}/remove/")

    assert response.status_code == 403
    assert PartnerMembership.objects.filter(pk=membership.pk).exists()
