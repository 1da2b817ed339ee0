import pytest
from rest_framework.test import APIClient

from cityhall.accounts.models import PartnerMembership
from cityhall.accounts.services import create_api_key, revoke_api_key
from cityhall.accounts.tests.factories import PartnerOrganisationFactory


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def issued(admin):
    organisation = PartnerOrganisationFactory(name="Hydro Rivière", kind="utility")
    return create_api_key(
        actor=admin, organisation=organisation, name="K", scopes=["requests:read", "open311:write"]
    )


@pytest.mark.django_db
def test_a_partner_key_identifies_its_organisation_and_scopes(api_client, issued):
    response = api_client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Api-Key {issued.key}")

    assert response.status_code == 200
    assert response.json() == {
        "kind": "partner",
        "organisation": {
            "id": str(issued.api_key.organisation.public_id),
            "name": "Hydro Rivière",
            "kind": "utility",
        },
        "scopes": ["open311:write", "requests:read"],
    }


@pytest.mark.django_db
def test_revoked_key_is_refused_with_401(admin, api_client, issued):
    revoke_api_key(actor=admin, api_key=issued.api_key)

    response = api_client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Api-Key {issued.key}")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Api-Key nonsense", "Api-Key", "Api-Key a.b c"])
def test_a_malformed_key_header_is_refused_with_401(api_client, header):
    response = api_client.get("/api/v1/me", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401


@pytest.mark.django_db
def test_an_anonymous_call_is_refused_with_401(api_client):
    response = api_client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_a_signed_in_person_sees_their_account_roles_and_organisations(api_client, partner):
    organisation = PartnerMembership.objects.get(user=partner).organisation
    api_client.force_login(partner)

    response = api_client.get("/api/v1/me")

    body = response.json()
    assert response.status_code == 200
    assert body["kind"] == "person"
    assert body["person"]["email"] == partner.email
    assert body["person"]["staff_roles"] == []
    assert body["person"]["partner_organisations"] == [
        {"id": str(organisation.public_id), "name": organisation.name, "kind": organisation.kind}
    ]


@pytest.mark.django_db
def test_a_signed_in_staff_member_sees_their_roles(api_client, supervisor):
    api_client.force_login(supervisor)

    response = api_client.get("/api/v1/me")

    assert response.json()["person"]["staff_roles"] == ["supervisor"]
