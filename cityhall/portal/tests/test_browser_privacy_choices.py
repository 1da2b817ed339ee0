"""A citizen allows and withdraws a purpose on the privacy choices page in a real browser,
keyboard only, and the page passes axe in both languages."""

from __future__ import annotations

import pytest

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.portal.tests.browser_sessions import session_cookie_for
from cityhall.privacy.consents import has_consent
from cityhall.privacy.models import ConsentRecord

pytestmark = pytest.mark.browser


@pytest.fixture
def citizen_page(page, citizen, live_server):
    """The browser tab, signed in as the citizen."""
    page.context.add_cookies([session_cookie_for(citizen, live_server.url)])
    return page


def test_a_citizen_allows_then_withdraws_research_with_the_keyboard(citizen_page, citizen):
    citizen_page.goto("/en/account/privacy-choices/")

    citizen_page.get_by_role("button", name="Allow: Research and surveys").focus()
    citizen_page.keyboard.press("Enter")
    citizen_page.get_by_text("You allowed: Research and surveys.").wait_for()
    assert has_consent(citizen, "research")

    citizen_page.get_by_role("button", name="Withdraw: Research and surveys").focus()
    citizen_page.keyboard.press("Enter")
    citizen_page.get_by_text("You withdrew: Research and surveys.").wait_for()

    assert not has_consent(citizen, "research")
    assert ConsentRecord.objects.filter(user=citizen).count() == 2
    history = citizen_page.get_by_role("table")
    assert history.get_by_role("row").count() == 3  # a header and two decisions
    assert_no_serious_accessibility_violations(citizen_page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_privacy_choices_page_has_no_serious_accessibility_violation(
    citizen_page, citizen, language
):
    ConsentRecord.objects.create(
        user=citizen,
        purpose="partner_sharing",
        is_given=True,
        purpose_version=1,
        text_shown="Sharing…",
        language=language,
        source="portal",
    )
    citizen_page.goto(f"/{language}/account/privacy-choices/")

    assert citizen_page.locator("html").get_attribute("lang") == language
    citizen_page.locator("details summary").first.click()
    assert_no_serious_accessibility_violations(citizen_page)


def test_the_offer_to_share_contact_details_when_filing_reads_accessibly(citizen_page, citizen):
    ServiceFactory(code="streetlight", name_en="Street light out")
    citizen_page.goto("/en/services/streetlight/request/")

    offer = citizen_page.get_by_role("group", name="Sharing a request with the partner")
    assert not offer.get_by_label("I allow this").is_checked()
    assert_no_serious_accessibility_violations(citizen_page)
