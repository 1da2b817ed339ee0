"""On a phone the signed-in menu folds behind one button, so the page starts on the first screen."""

from __future__ import annotations

import pytest

from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.portal.tests.browser_sessions import session_cookie_for

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in(page, citizen, live_server):
    page.context.add_cookies([session_cookie_for(citizen, live_server.url)])
    return page


@pytest.mark.parametrize("width", [320, 375])
def test_the_signed_in_menu_takes_one_row_on_a_phone_and_opens_in_full(
    signed_in, live_server, width
):
    signed_in.set_viewport_size({"width": width, "height": 700})
    signed_in.goto(f"{live_server.url}/fr/")
    menu = signed_in.locator("nav.main-nav")
    toggle = menu.get_by_role("button", name="Menu")

    assert menu.bounding_box()["height"] <= 56
    assert toggle.get_attribute("aria-expanded") == "false"

    toggle.click()

    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.get_by_role("link", name="Mes demandes").is_visible()
    assert menu.get_by_role("button", name="Se déconnecter").is_visible()
    assert_no_serious_accessibility_violations(signed_in)

    signed_in.keyboard.press("Escape")

    assert not menu.get_by_role("link", name="Mes demandes").is_visible()
    assert toggle.evaluate("element => element === document.activeElement")


def test_on_a_wide_screen_every_link_shows_without_a_menu_button(signed_in, live_server):
    signed_in.set_viewport_size({"width": 1280, "height": 800})
    signed_in.goto(f"{live_server.url}/en/")
    menu = signed_in.locator("nav.main-nav")

    assert not menu.get_by_role("button", name="Menu").is_visible()
    assert menu.get_by_role("link", name="My requests").is_visible()
    assert menu.bounding_box()["height"] <= 56
