"""An agent triages a request in a real browser: queue, acknowledge, work, resolve."""

import pytest

from cityhall.accounts.tests.fixtures import (  # noqa: F401  (fixtures)
    empty_cache,
    immediate_tasks,
    sign_in_pauses,
)
from cityhall.accounts.tests.team_factories import TeamFactory
from cityhall.backoffice.tests.staff_sign_in import sign_in_in_browser
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import get_public_service_request
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("empty_cache", "immediate_tasks", "sign_in_pauses"),
]


def _change_status(page, status, public_note=""):
    page.get_by_label("New status").select_option(label=status)
    if public_note:
        page.get_by_label("Public note").fill(public_note)
    page.get_by_role("button", name="Change the status").click()
    page.wait_for_load_state()
    assert_no_serious_accessibility_violations(page)


def test_an_agent_acknowledges_works_on_and_resolves_a_request(page, agent):
    service_request = ServiceRequestFactory(tracking_number="PW-26-000042")
    TeamFactory(name_en="Pothole crew")

    sign_in_in_browser(page, agent)
    assert page.locator("h1").inner_text() == "Work queue"
    assert_no_serious_accessibility_violations(page)

    page.get_by_label("Select PW-26-000042").check()
    page.get_by_role("button", name="Acknowledge").click()
    page.wait_for_url("**/en/staff/requests/**")
    assert "1 of 1 selected request changed." in page.locator("body").inner_text()
    assert_no_serious_accessibility_violations(page)

    page.get_by_role("link", name="PW-26-000042").click()
    page.wait_for_url(f"**/en/staff/requests/{service_request.public_id}/")
    assert_no_serious_accessibility_violations(page)
    page.locator("summary", has_text="Assign to a team").click()
    page.get_by_label("Team", exact=True).select_option(label="Pothole crew")
    page.get_by_role("button", name="Save the team").click()
    page.wait_for_load_state()
    assert "The team Pothole crew now holds the request." in page.locator("body").inner_text()
    assert_no_serious_accessibility_violations(page)
    _change_status(page, "In progress")
    _change_status(page, "Resolved", public_note="The pothole is filled.")

    service_request.refresh_from_db()
    assert service_request.status == ServiceRequest.Status.RESOLVED
    public = get_public_service_request(tracking_number="PW-26-000042")
    assert "The pothole is filled." in [step.note for step in public.timeline]
