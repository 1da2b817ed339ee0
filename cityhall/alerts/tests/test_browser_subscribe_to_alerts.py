"""Subscribing to alerts in a real browser: both languages, phone and desktop widths, axe."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from cityhall.alerts.models import AlertSubscriber
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.notifications.tests.fixtures import immediate_notification_tasks
from cityhall.places.tests.factories import AddressFactory
from cityhall.portal.tests.browser_sessions import session_cookie_for

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

__all__ = ["immediate_notification_tasks"]


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_someone_without_an_account_subscribes_by_postal_code_and_sees_what_comes_next(
    page, width, language, immediate_notification_tasks
) -> None:
    AddressFactory(postal_code="H2X 1Y4")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/{language}/alerts/subscribe/")
    assert page.locator("html").get_attribute("lang") == language
    assert_no_serious_accessibility_violations(page)

    with translation.override(language):
        page.get_by_label(gettext("Or postal code")).fill("H2X 1Y4")
        page.get_by_label(gettext("Email address")).fill("neighbour@example.org")
        page.get_by_role("button", name=gettext("Subscribe"), exact=True).click()
        page.wait_for_url(f"**/{language}/alerts/subscribe/")
        expected = gettext("Confirm your subscription")
    assert page.locator("h1").inner_text() == expected
    assert AlertSubscriber.objects.get().confirmed_at is None
    assert_no_serious_accessibility_violations(page)


def test_an_error_is_announced_and_the_page_stays_accessible(page) -> None:
    page.goto("/en/alerts/subscribe/")
    page.get_by_role("button", name="Subscribe", exact=True).click()
    page.wait_for_selector(".errorlist")

    assert "one of them" in page.locator(".errorlist").first.inner_text()
    assert page.title().startswith("Error:")
    assert_no_serious_accessibility_violations(page)


def test_a_resident_adds_their_home_on_the_same_page(chromium, live_server, citizen) -> None:
    AddressFactory(civic_number="120", street_name="Rue des Érables")
    context = chromium.new_context(base_url=live_server.url, locale="en-CA")
    context.add_cookies([session_cookie_for(citizen, live_server.url)])
    page = context.new_page()
    page.goto("/en/alerts/subscribe/")

    place_form = page.get_by_role("form", name="Add my home or work address")
    place_form.get_by_role("radio", name="Home").check()
    place_form.get_by_label("Street address").fill("120 rue des Erables")
    place_form.get_by_role("button", name="Add this place").click()
    page.wait_for_selector("text=You will be alerted about this place.")

    assert "120 Rue des Érables" in page.locator("main").inner_text()
    assert_no_serious_accessibility_violations(page)
    context.close()
