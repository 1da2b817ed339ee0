"""GET and PUT /api/v1/me/consents: an app reads and changes the caller's consents."""

import pytest
from rest_framework.test import APIClient

from cityhall.accounts.tests.api_callers import key_headers, token_headers
from cityhall.accounts.tests.factories import PartnerOrganisationFactory
from cityhall.privacy.consents import has_consent
from cityhall.privacy.models import ConsentRecord
from cityhall.privacy.purposes import RESEARCH
from cityhall.privacy.services.consents import text_shown_for

pytestmark = pytest.mark.django_db

LIST = "/api/v1/me/consents"


@pytest.fixture
def api(citizen):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=token_headers(citizen)["Authorization"])
    return client


def test_the_list_gives_every_consent_purpose_with_the_callers_choice(api):
    body = api.get(LIST).json()

    research = next(item for item in body if item["purpose"] == "research")
    assert research == {
        "purpose": "research",
        "name": "Research and surveys",
        "explanation": str(RESEARCH.explanation),
        "version": 1,
        "given": False,
        "decided_at": None,
        "decided_on_version": None,
    }
    assert "notifications.my_requests" not in {item["purpose"] for item in body}


def test_putting_a_choice_records_it_from_the_api_with_the_words_in_the_language_shown(
    api, citizen
):
    response = api.put(f"{LIST}/research", {"given": True, "language": "fr"}, format="json")

    assert response.status_code == 200
    assert response.json()["given"] is True
    assert response.json()["decided_at"] is not None
    record = ConsentRecord.objects.get()
    assert (record.source, record.language) == ("api", "fr")
    assert record.text_shown == text_shown_for(RESEARCH, "fr")

    api.put(f"{LIST}/research", {"given": False}, format="json")

    assert not has_consent(citizen, "research")
    assert ConsentRecord.objects.count() == 2


def test_putting_the_same_choice_twice_records_it_once(api):
    api.put(f"{LIST}/research", {"given": True}, format="json")
    api.put(f"{LIST}/research", {"given": True}, format="json")

    assert ConsentRecord.objects.count() == 1


def test_a_purpose_without_consent_or_unknown_is_404_and_a_bad_body_400(api):
    assert api.put(f"{LIST}/notifications.alerts", {"given": False}, format="json").status_code == (
        404
    )
    assert api.put(f"{LIST}/nothing", {"given": False}, format="json").status_code == 404
    assert api.put(f"{LIST}/research", {"given": "maybe"}, format="json").status_code == 400
    assert not ConsentRecord.objects.exists()


def test_partner_keys_and_anonymous_callers_are_refused():
    partner = APIClient()
    partner.credentials(
        HTTP_AUTHORIZATION=key_headers(PartnerOrganisationFactory(), ["requests:read"])[
            "Authorization"
        ]
    )

    assert partner.get(LIST).status_code == 403
    assert APIClient().get(LIST).status_code == 401
