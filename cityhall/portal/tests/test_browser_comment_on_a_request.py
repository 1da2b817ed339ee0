"""A citizen comments on their request with the keyboard; an agent reads it and adds an
internal note, which the citizen never sees. Both pages stay free of serious axe violations,
errors included."""

import pytest
from playwright.sync_api import expect

from cityhall.accounts.tests.fixtures import empty_cache, sign_in_pauses  # noqa: F401 (fixtures)
from cityhall.backoffice.tests.staff_sign_in import sign_in_in_browser
from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.portal.tests.browser_sessions import session_cookie_for
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("empty_cache", "sign_in_pauses")]


@pytest.fixture
def filed(citizen):
    return ServiceRequestFactory(
        reporter=citizen,
        tracking_number="RAS-26-000321",
        service=ServiceFactory(code="graffiti", department__code="public-works"),
    )


@pytest.fixture
def citizen_tab(chromium, live_server, citizen):
    context = chromium.new_context(base_url=live_server.url, locale="en-CA")
    context.add_cookies([session_cookie_for(citizen, live_server.url)])
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def _send_with_the_keyboard(tab, text):
    """Type `text` into the comment field, then Tab to the button and press Enter.

    Callers wait for what the answer shows (an error on the page, or the redirect to the
    comments): a navigation or load-state wait may return on the page being left.
    """
    tab.get_by_label("Your comment").press_sequentially(text)
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.textContent") == "Send the comment"
    tab.keyboard.press("Enter")


def test_a_citizen_comments_and_an_agent_reads_it_and_notes_it_internally(
    citizen_tab, page, agent, filed
):
    citizen_tab.goto(f"/en/requests/{filed.tracking_number}/")
    _send_with_the_keyboard(citizen_tab, "   ")
    expect(citizen_tab.locator(".error-summary")).to_contain_text("Write your comment.")
    assert_no_serious_accessibility_violations(citizen_tab)

    _send_with_the_keyboard(citizen_tab, "The tags are back on the north wall.")
    citizen_tab.wait_for_url(f"**/en/requests/{filed.tracking_number}/#comments")
    body = citizen_tab.locator("body").inner_text()
    assert "Your comment is sent to the city's staff." in body
    assert "The tags are back on the north wall." in body
    assert_no_serious_accessibility_violations(citizen_tab)

    sign_in_in_browser(page, agent, start=f"/en/staff/requests/{filed.public_id}/")
    page.wait_for_url(f"**/en/staff/requests/{filed.public_id}/")
    assert "The tags are back on the north wall." in page.locator("#comments + ol").inner_text()
    page.locator("summary", has_text="Add an internal note").click()
    page.get_by_role("button", name="Add the note").click()
    expect(page.locator(".error-summary")).to_contain_text("Write the note.")
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Note for staff").fill("Same tagger as last month.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.locator("body")).to_contain_text("The internal note is in the timeline.")
    assert_no_serious_accessibility_violations(page)

    citizen_tab.reload()
    assert "Same tagger" not in citizen_tab.locator("body").inner_text()
