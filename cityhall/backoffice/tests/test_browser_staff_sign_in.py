"""Staff sign-in in a real browser: password, then a TOTP code, then the dashboard."""

import pyotp
import pytest

from cityhall.accounts.tests.factories import DEFAULT_PASSWORD
from cityhall.accounts.tests.fixtures import (  # noqa: F401  (fixtures)
    empty_cache,
    give_confirmed_totp,
    immediate_tasks,
    sign_in_pauses,
)
from cityhall.core.testing import assert_no_serious_accessibility_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("empty_cache", "immediate_tasks", "sign_in_pauses"),
]


def _password_step(page, user):
    page.goto("/en/staff/")
    page.wait_for_url("**/en/staff/sign-in/**")
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Continue").click()


def test_staff_member_signs_in_with_password_and_code_and_reaches_the_dashboard(page, agent):
    totp = give_confirmed_totp(agent)

    _password_step(page, agent)
    page.wait_for_url("**/en/staff/sign-in/code/")
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Code from your authenticator app").fill(totp.now())
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/en/staff/")
    assert page.locator("h1").inner_text() != "Staff sign-in"
    assert_no_serious_accessibility_violations(page)


def test_new_staff_member_sets_up_an_authenticator_on_first_sign_in(page, admin):
    _password_step(page, admin)
    page.wait_for_url("**/en/staff/sign-in/set-up/")
    assert page.locator("figure.qr-code svg").count() == 1
    assert_no_serious_accessibility_violations(page)

    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Confirm and sign in").click()

    page.wait_for_url("**/en/staff/")
    page.goto("/en/staff/partners/")
    assert page.locator("h1").inner_text() == "Partners"
    assert_no_serious_accessibility_violations(page)
    page.goto("/en/staff/staff-members/")
    assert_no_serious_accessibility_violations(page)


def test_city_admin_registers_a_partner_and_copies_its_new_key(page, admin):
    totp = give_confirmed_totp(admin)
    _password_step(page, admin)
    page.get_by_label("Code from your authenticator app").fill(totp.now())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/en/staff/")

    page.goto("/en/staff/partners/new/")
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Name", exact=True).fill("Hydro Rivière")
    page.get_by_label("Kind of organisation").select_option("utility")
    page.get_by_role("button", name="Register the organisation").click()
    page.wait_for_url("**/en/staff/partners/*/")
    assert_no_serious_accessibility_violations(page)

    page.get_by_label("Name of the key").fill("Outage map")
    page.get_by_label("Read service requests").check()
    page.get_by_role("button", name="Create the key").click()
    key = page.get_by_label("API key").input_value()
    assert_no_serious_accessibility_violations(page)

    response = page.request.get("/api/v1/me", headers={"Authorization": f"Api-Key {key}"})
    assert response.json()["organisation"]["name"] == "Hydro Rivière"
