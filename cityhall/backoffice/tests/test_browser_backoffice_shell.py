"""The back-office shell in a real browser, for a city administrator past two-factor sign-in."""

import pytest
from django.conf import settings
from django.http import HttpRequest

from cityhall.backoffice.access import mark_session_verified
from cityhall.core.testing import assert_no_serious_accessibility_violations

pytestmark = pytest.mark.browser

STAFF_PAGES = [
    "/staff/",
    "/staff/requests/",
    "/staff/services/",
    "/staff/staff-members/",
    "/staff/partners/",
    "/staff/sign-in/",
]


@pytest.fixture
def admin_page(page, admin, client, live_server):
    """The browser tab, signed in as the city administrator with a verified session."""
    client.force_login(admin)
    request = HttpRequest()
    request.session = session = client.session
    mark_session_verified(request, admin)
    session.save()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )
    return page


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_back_office_page_has_no_serious_accessibility_violation(admin_page, path, language):
    admin_page.goto(f"/{language}{path}")

    assert_no_serious_accessibility_violations(admin_page)


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_back_office_page_fits_a_320_pixel_screen_and_passes_axe_there(admin_page, path):
    admin_page.set_viewport_size({"width": 320, "height": 640})

    admin_page.goto(f"/en{path}")

    overflow = admin_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert_no_serious_accessibility_violations(admin_page)


def test_city_admin_navigates_the_back_office_from_its_menu(admin_page):
    admin_page.goto("/en/staff/partners/")

    menu = admin_page.get_by_role("navigation", name="Back office")
    menu.get_by_role("link", name="Staff and roles").click()

    admin_page.wait_for_url("**/en/staff/staff-members/")
    current = menu.locator('[aria-current="page"]')
    assert current.inner_text() == "Staff and roles"


def test_on_a_phone_the_staff_menu_folds_behind_one_button(admin_page):
    admin_page.set_viewport_size({"width": 375, "height": 700})
    admin_page.goto("/fr/staff/")
    menu = admin_page.locator("nav.main-nav")
    toggle = menu.get_by_role("button", name="Menu")

    assert menu.bounding_box()["height"] <= 56

    toggle.click()

    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.get_by_role("link").first.is_visible()
    assert_no_serious_accessibility_violations(admin_page)
