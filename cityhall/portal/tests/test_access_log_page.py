"""A citizen sees who at the city looked at their own requests, when and why, and nothing of
other citizens' requests."""

from __future__ import annotations

import pytest

from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.servicerequests.selectors import get_service_request_for_staff
from cityhall.servicerequests.services.contact_reveals import reveal_contact_details
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

PAGE = "/en/account/who-looked/"


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(PAGE)

    assert response["Location"] == f"/en/account/sign-in/?next={PAGE}"


def test_the_citizen_sees_reads_and_reveals_of_their_own_requests_only(
    client, citizen, other_citizen, agent
):
    mine = ServiceRequestFactory(reporter=citizen)
    theirs = ServiceRequestFactory(reporter=other_citizen)
    get_service_request_for_staff(public_id=mine.public_id, staff=agent)
    reveal_contact_details(service_request=mine, staff=agent, reason="complaint")
    get_service_request_for_staff(public_id=theirs.public_id, staff=agent)
    client.force_login(citizen)

    response = client.get(PAGE)

    content = response.content.decode()
    assert [access.tracking_number for access in response.context["accesses"]] == [
        mine.tracking_number,
        mine.tracking_number,
    ]
    assert theirs.tracking_number not in content
    assert "Opened your contact details" in content
    assert "A complaint about this request" in content
    assert "Agent, " in content
    # The department and role are shown, not the staff member's name or email.
    assert agent.email not in content


def test_a_citizen_with_no_looks_reads_so(client, citizen):
    client.force_login(citizen)

    assert "Nobody at the city has opened your requests yet." in client.get(PAGE).content.decode()


def test_the_page_reads_in_french_and_the_account_page_links_to_it(client, citizen):
    client.force_login(citizen)

    french = client.get("/fr/account/who-looked/")
    account = client.get("/en/account/").content.decode()

    assert french.status_code == 200
    assert 'lang="fr"' in french.content.decode()
    assert f'href="{PAGE}"' in account
