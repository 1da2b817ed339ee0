"""The portal's main navigation, signed in, measured in a real browser at desk and phone widths."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "fr"]


@pytest.fixture
def citizen_page(page, citizen, client, live_server):
    client.force_login(citizen)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    return page


def _open_appointments(page, language):
    with translation.override(language):
        page.goto(reverse("portal:my_appointments"))


def _item_boxes(page):
    return page.locator("#main-nav-list > li").evaluate_all(
        "items => items.map(item => { const box = item.getBoundingClientRect();"
        " return {top: Math.round(box.top), right: box.right, text: item.innerText}; })"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_at_1280_pixels_every_item_sits_on_one_row(citizen_page, language):
    citizen_page.set_viewport_size({"width": 1280, "height": 800})
    _open_appointments(citizen_page, language)

    boxes = _item_boxes(citizen_page)

    assert len(boxes) >= 6  # home, services, appointments, requests, account, sign out
    assert {box["top"] for box in boxes} == {boxes[0]["top"]}, boxes


@pytest.mark.parametrize("language", LANGUAGES)
def test_at_375_pixels_the_opened_menu_stays_within_the_screen(citizen_page, language):
    citizen_page.set_viewport_size({"width": 375, "height": 700})
    _open_appointments(citizen_page, language)

    citizen_page.locator(".nav-toggle").click()

    boxes = _item_boxes(citizen_page)
    assert all(box["right"] <= 375 for box in boxes), boxes
    assert citizen_page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_appointments_entry_leads_to_booking_and_booking_to_my_appointments(
    citizen_page, language
):
    _open_appointments(citizen_page, language)
    with translation.override(language):
        book_url = reverse("portal:book_appointment")
        mine_url = reverse("portal:my_appointments")

    entry = citizen_page.locator(f'#main-nav-list a[href="{book_url}"]')
    assert entry.get_attribute("aria-current") == "page"
    entry.click()
    citizen_page.wait_for_url(f"**{book_url}")
    citizen_page.locator(f'main a[href="{mine_url}"]').click()
    citizen_page.wait_for_url(f"**{mine_url}")
    assert citizen_page.locator(f'main a[href="{book_url}"]').count() == 1
