"""The privacy officer's access log: who looked at what and why, unusual patterns flagged,
and a citizen's access report as CSV; nobody else may open it."""

from __future__ import annotations

import csv
import io

import pytest

from cityhall.accounts.tests.factories import StaffRoleFactory
from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.servicerequests.selectors import get_service_request_for_staff
from cityhall.servicerequests.services.contact_reveals import reveal_contact_details
from cityhall.servicerequests.staff_access_log import Flag
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

PAGE = "/en/staff/privacy/access-log/"


@pytest.fixture
def officer():
    return StaffRoleFactory(role="privacy_officer", department=None, user__is_staff=True).user


@pytest.fixture
def officer_client(client, officer):
    sign_in_with_two_factor(client, officer)
    return client


def open_request(staff, service_request):
    return get_service_request_for_staff(public_id=service_request.public_id, staff=staff)


def test_the_log_shows_who_opened_what_and_why(officer_client, agent, citizen):
    filed = ServiceRequestFactory(reporter=citizen)
    open_request(agent, filed)
    reveal_contact_details(service_request=filed, staff=agent, reason="handling")

    response = officer_client.get(PAGE)

    content = response.content.decode()
    assert response.status_code == 200
    assert filed.tracking_number in content
    assert "Opened the contact details" in content
    assert "Handling this request" in content
    assert response.context["log"].total == 2
    assert response.context["log"].flagged == {}


def test_many_files_in_an_hour_are_flagged(officer_client, agent, settings):
    settings.STAFF_READS_UNUSUAL_PER_HOUR = 3
    for service_request in ServiceRequestFactory.create_batch(5):
        open_request(agent, service_request)

    log = officer_client.get(PAGE).context["log"]

    assert log.flagged == {Flag.MANY_FILES: 2}
    assert "Many requests in an hour" in officer_client.get(PAGE).content.decode()


def test_a_reveal_for_another_reason_than_handling_is_flagged(officer_client, agent):
    filed = ServiceRequestFactory()
    reveal_contact_details(service_request=filed, staff=agent, reason="other", note="Curious")

    log = officer_client.get(PAGE).context["log"]

    assert log.flagged == {Flag.NOT_FOR_HANDLING: 1}
    assert "Curious" in officer_client.get(PAGE).content.decode()


def test_a_request_outside_the_readers_departments_is_flagged(officer_client, agent):
    filed = ServiceRequestFactory()
    open_request(agent, filed)
    agent.staff_roles.all().delete()
    StaffRoleFactory(user=agent, role="agent", department__code="parks")

    log = officer_client.get(PAGE).context["log"]

    assert log.flagged == {Flag.OUTSIDE_DEPARTMENTS: 1}


def test_the_log_filters_by_staff_member_and_citizen(officer_client, agent, supervisor, citizen):
    theirs = ServiceRequestFactory(reporter=citizen)
    other = ServiceRequestFactory()
    open_request(agent, theirs)
    open_request(supervisor, other)

    by_staff = officer_client.get(PAGE, {"staff_email": supervisor.email}).context["log"]
    by_citizen = officer_client.get(PAGE, {"citizen_email": citizen.email}).context["log"]

    assert [access.tracking_number for access in by_staff.accesses] == [other.tracking_number]
    assert [access.tracking_number for access in by_citizen.accesses] == [theirs.tracking_number]


def test_a_citizens_access_report_downloads_as_csv(officer_client, agent, citizen):
    filed = ServiceRequestFactory(reporter=citizen)
    open_request(agent, filed)
    reveal_contact_details(service_request=filed, staff=agent, reason="complaint")
    open_request(agent, ServiceRequestFactory())

    response = officer_client.get(PAGE, {"citizen_email": citizen.email, "format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["request"], row["what"], row["reason"]) for row in rows] == [
        (filed.tracking_number, "Opened the contact details", "A complaint about this request"),
        (filed.tracking_number, "Opened the request", ""),
    ]
    assert {row["staff_email"] for row in rows} == {agent.email}


def test_an_agent_cannot_open_the_access_log(client, agent):
    sign_in_with_two_factor(client, agent)

    assert client.get(PAGE).status_code == 403


def test_the_access_log_reads_in_french(client, officer):
    sign_in_with_two_factor(client, officer)

    response = client.get("/fr/staff/privacy/access-log/")

    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()


def test_a_citizens_report_covers_requests_left_with_their_email_without_an_account(
    officer_client, agent, citizen
):
    left = ServiceRequestFactory(reporter=None, contact_email=citizen.email.upper())
    open_request(agent, left)

    response = officer_client.get(PAGE, {"citizen_email": citizen.email, "format": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["request"] for row in rows] == [left.tracking_number]
