"""Sharing contact details with partners: offered when filing, shown to the partner only with it."""

import pytest

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.privacy.consents import has_consent
from cityhall.privacy.models import ConsentRecord
from cityhall.privacy.services.consents import give_consent, withdraw_consent
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db

FORM = "/en/services/streetlight/request/"
SHARING = "partner_sharing"


@pytest.fixture
def streetlight(db):
    return ServiceFactory(code="streetlight", name_en="Street light out")


def _decide(decide, user):
    decide(actor=user, user=user, purpose_code=SHARING, language="en", source="portal")


def _file(client, **extra):
    page = client.get(FORM).content.decode()
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]
    data = {"idempotency_key": key, "description": "The light is out.", "address": ""}
    return client.post(FORM, data | extra)


def test_the_filing_form_offers_sharing_unticked_with_the_purposes_text(
    client, citizen, streetlight
):
    client.force_login(citizen)

    page = client.get(FORM).content.decode()

    assert "Sharing a request with the partner who handles it" in page
    assert "Give your name and contact details to the utility" in page
    assert 'type="checkbox" name="share_with_partner"' in page
    assert 'name="share_with_partner" id="id_share_with_partner" checked' not in page


def test_filing_without_ticking_the_box_records_no_consent(client, citizen, streetlight):
    client.force_login(citizen)

    response = _file(client)

    assert response.status_code == 302
    assert ServiceRequest.objects.count() == 1
    assert not ConsentRecord.objects.exists()


def test_ticking_the_box_while_filing_gives_the_consent(client, citizen, streetlight):
    client.force_login(citizen)

    _file(client, share_with_partner="on")

    assert has_consent(citizen, SHARING)
    assert ConsentRecord.objects.get().source == "portal"


def test_a_citizen_who_allows_it_is_told_so_and_not_asked_again(client, citizen, streetlight):
    _decide(give_consent, citizen)
    client.force_login(citizen)

    page = client.get(FORM).content.decode()

    assert 'name="share_with_partner"' not in page
    assert "You allow the city to give your name and contact details" in page


def test_visitors_without_an_account_are_not_offered_sharing(client, streetlight):
    streetlight.allows_anonymous = True
    streetlight.save()

    page = client.get(FORM).content.decode()

    assert 'name="share_with_partner"' not in page


def test_the_partners_page_shows_the_contact_only_while_the_citizen_allows_it(
    client, partner, citizen
):
    handed_over = ServiceRequestFactory(
        assigned_partner=partner.partner_memberships.get().organisation,
        reporter=citizen,
        contact_phone="514-555-0100",
    )
    client.force_login(partner)
    url = f"/en/partner/requests/{handed_over.public_id}/"

    before = client.get(url).content.decode()
    _decide(give_consent, citizen)
    allowed = client.get(url).content.decode()
    _decide(withdraw_consent, citizen)
    after = client.get(url).content.decode()

    assert "514-555-0100" not in before
    assert "has not allowed sharing their contact details" in before
    assert "514-555-0100" in allowed
    assert "camille.citizen@example.org" in allowed
    assert "514-555-0100" not in after
