"""A partner gets the reporter's contact details only while the reporter allows it."""

import pytest
from rest_framework.test import APIClient

from cityhall.accounts.tests.api_callers import key_headers
from cityhall.accounts.tests.factories import PartnerOrganisationFactory
from cityhall.privacy.services.consents import give_consent, withdraw_consent
from cityhall.servicerequests.partner_contact import contact_for_partner, contacts_for_partner
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db

SHARING = "partner_sharing"


@pytest.fixture
def hydro(db):
    return PartnerOrganisationFactory(name="Hydro Rivière")


@pytest.fixture
def api(hydro):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=key_headers(hydro, ["requests:read"])["Authorization"])
    return client


@pytest.fixture
def handed_over(hydro, citizen):
    return ServiceRequestFactory(
        assigned_partner=hydro, reporter=citizen, contact_phone="514-555-0100"
    )


def _decide(decide, user):
    decide(actor=user, user=user, purpose_code=SHARING, language="en", source="portal")


def _contacts(api, service_request):
    listed = api.get("/api/v1/partner/requests").json()["results"]
    detail = api.get(f"/api/v1/partner/requests/{service_request.public_id}").json()
    return [item["contact"] for item in listed], detail["contact"]


def test_without_consent_the_partner_gets_no_contact_details(api, handed_over):
    listed, detail = _contacts(api, handed_over)

    assert listed == [None]
    assert detail is None


def test_with_consent_the_partner_gets_the_reporters_name_email_and_phone(
    api, handed_over, citizen
):
    _decide(give_consent, citizen)

    listed, detail = _contacts(api, handed_over)

    expected = {
        "name": "Camille Tremblay",
        "email": "camille.citizen@example.org",
        "phone": "514-555-0100",
    }
    assert listed == [expected]
    assert detail == expected


def test_withdrawn_consent_hides_the_contact_details_from_the_partner_again(
    api, handed_over, citizen
):
    _decide(give_consent, citizen)
    _decide(withdraw_consent, citizen)

    listed, detail = _contacts(api, handed_over)

    assert listed == [None]
    assert detail is None
    assert contact_for_partner(handed_over) is None


def test_contact_details_given_on_the_request_come_before_the_accounts(handed_over, citizen):
    handed_over.contact_name = "C. Tremblay"
    handed_over.contact_email = "c.tremblay@example.org"
    _decide(give_consent, citizen)

    contact = contact_for_partner(handed_over)

    assert contact is not None
    assert (contact.name, contact.email) == ("C. Tremblay", "c.tremblay@example.org")


def test_a_request_filed_without_an_account_never_shows_contact_details(hydro):
    anonymous = ServiceRequestFactory(
        assigned_partner=hydro, reporter=None, contact_email="someone@example.org"
    )

    assert contact_for_partner(anonymous) is None
    assert contacts_for_partner([anonymous]) == {}


def test_a_page_of_requests_reads_consent_and_reporters_in_two_queries(
    hydro, citizen, other_citizen, django_assert_num_queries
):
    _decide(give_consent, citizen)
    mine = ServiceRequestFactory(assigned_partner=hydro, reporter=citizen)
    theirs = ServiceRequestFactory(assigned_partner=hydro, reporter=other_citizen)

    with django_assert_num_queries(2):
        contacts = contacts_for_partner([mine, theirs])

    assert set(contacts) == {mine.id}
