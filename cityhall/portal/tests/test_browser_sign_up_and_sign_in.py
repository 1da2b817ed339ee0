"""A citizen in a real browser: sign up, confirm by email, sign in, see the account."""

import pytest
from django.core import mail

from cityhall.accounts.tests.fixtures import (  # noqa: F401  (fixtures)
    empty_cache,
    immediate_tasks,
    link_in_last_email,
    relative,
    sign_in_pauses,
)
from cityhall.core.testing import assert_no_serious_accessibility_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("empty_cache", "immediate_tasks", "sign_in_pauses"),
]

EMAIL = "nadia.roy@example.org"
PASSWORD = "maple-syrup-canoe-42"


def test_citizen_signs_up_confirms_the_address_signs_in_and_sees_the_account(page):
    page.goto("/en/account/sign-up/")
    assert_no_serious_accessibility_violations(page)

    page.get_by_label("Full name").fill("Nadia Roy")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/account/sign-up/check-your-email/")
    assert_no_serious_accessibility_violations(page)

    page.goto(relative(link_in_last_email("/account/verify/")))
    assert page.locator("h1").inner_text() == "Confirm your email address"
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("button", name="Confirm my email").click()
    page.wait_for_url("**/account/verify/**")
    assert page.locator("h1").inner_text() == "Your email address is confirmed"
    assert_no_serious_accessibility_violations(page)
    assert mail.outbox[-1].subject == "Welcome to Rivière-aux-Saules"
    # A fresh browser: the password chosen at sign-up was kept, since the link was confirmed here.
    page.context.clear_cookies()

    page.goto("/en/account/sign-in/?next=/en/account/")
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/en/account/")
    assert page.locator("h1").inner_text() == "My account"
    assert EMAIL in page.get_by_role("main").inner_text()
    assert_no_serious_accessibility_violations(page)


def test_a_mistake_is_summarised_at_the_top_and_shown_at_its_field(page):
    page.goto("/en/account/sign-up/")

    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Create my account").click()

    summary = page.get_by_role("alert")
    assert "There is a problem" in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_password"
    assert page.get_by_label("Password").get_attribute("aria-invalid") == "true"
    assert_no_serious_accessibility_violations(page)


def test_wrong_password_and_the_other_sign_in_pages_are_accessible(page, citizen):
    page.goto("/en/account/sign-in/")
    page.get_by_label("Email address").fill(citizen.email)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("main").get_by_role("button", name="Sign in").click()

    assert "The email address or password is not right." in page.get_by_role("alert").inner_text()
    assert_no_serious_accessibility_violations(page)
    for path in [
        "/en/account/sign-in/link/",
        "/en/account/password-reset/",
        "/fr/account/sign-in/",
    ]:
        page.goto(path)
        assert_no_serious_accessibility_violations(page)
