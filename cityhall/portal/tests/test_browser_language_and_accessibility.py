"""The portal in a real browser: languages, keyboard, narrow screens, axe, and its own origin."""

from typing import Any

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from cityhall.core.testing import assert_no_serious_accessibility_violations

pytestmark = pytest.mark.browser

#: Pages anyone can reach; account pages are included once their app mounts them.
PUBLIC_PAGES = [
    "portal:home",
    "portal:accessibility",
    "portal:privacy",
    "portal:services",
    "portal:sign_in",
    "portal:sign_up",
]
#: Pages a signed-in citizen reaches from the navigation, when their apps mount them.
CITIZEN_PAGES = [
    "portal:account",
    "portal:notification_inbox",
    "portal:notification_preferences",
]
LANGUAGES = ["en", "fr"]
PAGE_WEIGHT_LIMIT = 50 * 1024


def _path_or_skip(url_name: str, language: str) -> str:
    with translation.override(language):
        try:
            return reverse(url_name)
        except NoReverseMatch:
            pytest.skip(f"{url_name} is not mounted")


@pytest.fixture
def citizen_page(page, citizen, client, live_server):
    """The browser tab, signed in as a citizen."""
    client.force_login(citizen)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    return page


def test_reader_switches_the_home_page_from_english_to_french_and_back(page):
    page.goto("/en/")

    page.get_by_role("link", name="Français").click()
    page.wait_for_url("**/fr/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Bienvenue à Rivière-aux-Saules"

    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Welcome to Rivière-aux-Saules"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("url_name", PUBLIC_PAGES)
def test_public_page_has_no_serious_accessibility_violation(page, url_name, language):
    page.goto(_path_or_skip(url_name, language))

    assert_no_serious_accessibility_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("url_name", CITIZEN_PAGES)
def test_signed_in_page_has_no_serious_accessibility_violation(citizen_page, url_name, language):
    citizen_page.goto(_path_or_skip(url_name, language))

    assert_no_serious_accessibility_violations(citizen_page)


@pytest.mark.parametrize("url_name", CITIZEN_PAGES)
def test_signed_in_page_fits_a_320_pixel_screen_and_passes_axe_there(citizen_page, url_name):
    citizen_page.set_viewport_size({"width": 320, "height": 640})

    citizen_page.goto(_path_or_skip(url_name, "fr"))

    overflow = citizen_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert_no_serious_accessibility_violations(citizen_page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_not_found_page_has_no_serious_accessibility_violation(page, language):
    page.goto(f"/{language}/no-such-page/")

    assert_no_serious_accessibility_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("url_name", PUBLIC_PAGES)
def test_public_page_fits_a_320_pixel_screen_and_passes_axe_there(page, url_name, language):
    page.set_viewport_size({"width": 320, "height": 640})

    page.goto(_path_or_skip(url_name, language))

    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )
    assert widths["scroll"] <= widths["client"]
    assert_no_serious_accessibility_violations(page)


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page):
    page.goto("/en/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None
    assert box["y"] >= 0

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_keyboard_focus_is_drawn_as_an_outline_at_least_2px_wide(page):
    page.goto("/en/")

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return {style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; })()"
    )
    assert style["style"] == "solid"
    assert style["width"] >= 2


def test_home_page_requests_nothing_from_another_origin(page, live_server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto("/fr/", wait_until="networkidle")

    assert requested
    foreign = [url for url in requested if not url.startswith(f"{live_server.url}/")]
    assert foreign == []


def test_home_page_weighs_less_than_50_kb(page):
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))

    page.goto("/en/", wait_until="networkidle")

    weight = sum([len(response.body()) for response in responses])
    assert weight < PAGE_WEIGHT_LIMIT


def test_page_scrolls_without_animation_when_the_reader_asks_for_reduced_motion(page):
    page.emulate_media(reduced_motion="reduce")

    page.goto("/en/")

    behaviour = page.evaluate("getComputedStyle(document.documentElement).scrollBehavior")
    assert behaviour == "auto"


def test_form_with_errors_moves_focus_to_its_error_summary(page):
    page.goto(_path_or_skip("portal:sign_in", "en"))

    page.locator("main form").get_by_role("button", name="Sign in").click()

    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
