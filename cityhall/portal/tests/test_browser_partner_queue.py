"""A partner member works a handed-over request in a real browser; axe checks the pages."""

import pytest

from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.portal.tests.browser_sessions import session_cookie_for
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_a_partner_starts_and_resolves_a_handed_over_request(page, live_server, partner):
    handed_over = ServiceRequestFactory(
        tracking_number="RAS-26-000900",
        assigned_partner=partner.partner_memberships.get().organisation,
        status=ServiceRequest.Status.ACKNOWLEDGED,
        address_text="12 Oak Street",
    )
    page.context.add_cookies([session_cookie_for(partner, live_server.url)])

    page.goto("/en/partner/requests/")
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("link", name="RAS-26-000900").click()
    page.wait_for_url(f"**/en/partner/requests/{handed_over.public_id}/")
    assert_no_serious_accessibility_violations(page)

    page.get_by_role("button", name="Publish the update").click()
    page.wait_for_load_state()
    assert "Write the update." in page.locator(".error-summary").inner_text()
    assert_no_serious_accessibility_violations(page)

    page.get_by_label("New status").select_option(label="In progress")
    page.get_by_role("button", name="Change the status").click()
    page.wait_for_load_state()
    page.get_by_label("New status").select_option(label="Resolved")
    page.get_by_label("Note for the citizen (optional)").fill("The pipe is repaired.")
    page.get_by_role("button", name="Change the status").click()
    page.wait_for_load_state()
    assert_no_serious_accessibility_violations(page)

    handed_over.refresh_from_db()
    assert handed_over.status == ServiceRequest.Status.RESOLVED
    assert "The pipe is repaired." in page.locator("body").inner_text()
