"""Partner keys and members read the requests assigned to their organisation, no personal data."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from cityhall.accounts.tests.api_callers import key_headers, token_headers
from cityhall.accounts.tests.factories import PartnerMembershipFactory, PartnerOrganisationFactory
from cityhall.core.models import AuditEvent
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


@pytest.fixture
def hydro(db):
    return PartnerOrganisationFactory(name="Hydro Rivière")


@pytest.fixture
def api(hydro):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=key_headers(hydro, ["requests:read"])["Authorization"])
    return client


def test_the_partner_sees_only_what_is_assigned_to_it(api, hydro, citizen):
    ours = ServiceRequestFactory(assigned_partner=hydro, reporter=citizen)
    ServiceRequestFactory(assigned_partner=PartnerOrganisationFactory())
    ServiceRequestFactory()

    response = api.get("/api/v1/partner/requests")

    assert [item["id"] for item in response.json()["results"]] == [str(ours.public_id)]


def test_another_partners_request_is_404(api):
    theirs = ServiceRequestFactory(assigned_partner=PartnerOrganisationFactory())

    response = api.get(f"/api/v1/partner/requests/{theirs.public_id}")

    assert response.status_code == 404


def test_no_personal_data_reaches_the_partner(api, hydro, citizen):
    ours = ServiceRequestFactory(
        assigned_partner=hydro,
        reporter=citizen,
        contact_name="Camille Tremblay",
        contact_email="camille@example.org",
        contact_phone="514-555-0100",
    )

    listed = api.get("/api/v1/partner/requests").content.decode()
    detail = api.get(f"/api/v1/partner/requests/{ours.public_id}")

    for text in (listed, detail.content.decode()):
        for personal in ("Camille", "camille", "514-555-0100", str(citizen.public_id)):
            assert personal not in text
    assert "reporter" not in json.loads(detail.content)


def test_a_key_read_is_audited_in_the_organisations_name(api, hydro):
    ours = ServiceRequestFactory(assigned_partner=hydro)

    api.get(f"/api/v1/partner/requests/{ours.public_id}")

    event = AuditEvent.objects.get(action="servicerequests.viewed_by_partner")
    assert event.data == {"organisation": str(hydro.public_id)}


def test_a_member_of_the_partner_reads_the_same_queue_with_a_token(hydro):
    ours = ServiceRequestFactory(assigned_partner=hydro)
    ServiceRequestFactory(assigned_partner=PartnerOrganisationFactory())
    member = PartnerMembershipFactory(organisation=hydro).user
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=token_headers(member)["Authorization"])

    listed = client.get("/api/v1/partner/requests")
    detail = client.get(f"/api/v1/partner/requests/{ours.public_id}")

    assert [item["id"] for item in listed.json()["results"]] == [str(ours.public_id)]
    assert detail.status_code == 200
