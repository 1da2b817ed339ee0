"""The API token pages in a real browser: accessible, and usable to make and revoke a token."""

import pytest

from cityhall.accounts.tests.fixtures import (  # noqa: F401  (fixtures)
    empty_cache,
    immediate_tasks,
    sign_in_pauses,
)
from cityhall.backoffice.tests.staff_sign_in import sign_in_in_browser
from cityhall.core.testing import assert_no_serious_accessibility_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("empty_cache", "immediate_tasks", "sign_in_pauses"),
]


def test_an_agent_makes_and_revokes_a_token_through_accessible_pages(page, agent):
    sign_in_in_browser(page, agent, start="/en/staff/")

    navigation = page.get_by_role("navigation", name="Back office")
    navigation.get_by_role("link", name="My API tokens").click()
    page.wait_for_url("**/en/staff/my-tokens/")
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Name of the token").fill("Dispatch script")
    page.get_by_role("button", name="Create the token").click()
    token = page.get_by_label("API token").input_value()
    assert token.count(".") == 1
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("link", name="Back to my API tokens").click()
    assert token not in page.content()
    page.get_by_role("button", name="Revoke “Dispatch script”").click()
    page.wait_for_url("**/en/staff/my-tokens/")
    assert "Revoked" in page.locator("table").inner_text()
