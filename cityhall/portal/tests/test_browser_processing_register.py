"""In a real browser, the records of processing are reached from the privacy notice and from the
privacy officer's navigation, and read without serious accessibility violations."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from cityhall.accounts.models import StaffRole
from cityhall.accounts.tests.factories import StaffRoleFactory
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.core.testing import assert_no_serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("fr", 320)])
def test_a_reader_follows_the_privacy_notice_to_the_register(page, language, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"/{language}/privacy/")

    page.locator(f'a[href="/{language}/privacy/processing/"]').click()
    page.wait_for_url(f"**/{language}/privacy/processing/")

    assert page.locator("h2#retention-periods").is_visible()
    assert page.locator("section.register-purpose").count() >= 1
    assert_no_serious_accessibility_violations(page)


def test_the_privacy_officer_opens_the_register_from_the_navigation(page, live_server):
    officer = StaffRoleFactory(role=StaffRole.Role.PRIVACY_OFFICER, department=None).user
    client = Client()
    sign_in_with_two_factor(client, officer)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page.goto("/en/staff/")

    page.get_by_role("link", name="Records of processing").first.click()
    page.wait_for_url("**/en/staff/privacy/processing/")

    assert page.get_by_role("link", name="Download as CSV").is_visible()
    assert_no_serious_accessibility_violations(page)
