"""A walk-in takes a ticket on the portal and watches the live page move while staff call next,
in a real browser: the page updates without reload and announces the call; the kiosk and the
display work at phone and desktop widths, in French; every page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cityhall.appointments.models import CounterService, Visit
from cityhall.appointments.services_queue import call_next, take_ticket
from cityhall.appointments.tests.factories import bookable_place, staff_on_duty
from cityhall.core.testing import assert_no_serious_accessibility_violations

pytestmark = pytest.mark.browser

WIDTHS = [375, 1280]


@pytest.fixture
def place(transactional_db, monkeypatch):
    # Pages ask for news every second here, so the test does not wait five.
    monkeypatch.setattr("cityhall.portal.views_queue.POLL_SECONDS", 1)
    monkeypatch.setattr("cityhall.portal.views_queue_screens.BOARD_POLL_SECONDS", 1)
    return bookable_place(
        counters=1,
        opens="00:00",
        closes="23:59:59",
        access=CounterService.Access.WALK_IN,
        name_en="Library card",
        name_fr="Carte de bibliothèque",
    )


def someone_ahead(place):
    return take_ticket(facility=place.facility, service=place.service, channel="kiosk", actor=None)


def test_the_live_page_follows_the_ticket_until_staff_call_it(page, live_server, place):
    first = someone_ahead(place)
    page.goto(f"/en/queue/at/{place.facility.public_id}/")
    assert_no_serious_accessibility_violations(page)

    page.get_by_label("Library card").check()
    page.get_by_role("button", name="Take a ticket").click()
    page.wait_for_url("**/queue/t/*/")
    visit = Visit.objects.get(channel=Visit.Channel.PORTAL)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ticket {visit.number}")
    expect(page.locator('[data-field="position_text"]')).to_have_text("1 person is ahead of you.")
    assert_no_serious_accessibility_violations(page)
    page.evaluate("window.sameDocument = true")

    staff = staff_on_duty(place.counters[0], at=first.joined_at)
    call_next(counter=place.counters[0], actor=staff)  # the one ahead
    expect(page.locator('[data-field="position_text"]')).to_have_text("You are next in line.")
    call_next_again(place, staff, first)

    called = f"It is your turn: go to counter {place.counters[0].label} now."
    expect(page.locator('[data-field="headline"]')).to_have_text(called)
    expect(page.locator('[data-announce="assertive"]')).to_have_text(called)
    expect(page.get_by_text("Your place in line")).to_be_hidden()
    assert page.evaluate("window.sameDocument") is True
    assert_no_serious_accessibility_violations(page)


def call_next_again(place, staff, first):
    """Serve the first visit, then call the next one: the walk-in's ticket."""
    from cityhall.appointments.services_queue import finish_visit, start_serving

    first.refresh_from_db()
    finish_visit(visit=start_serving(visit=first, actor=staff), actor=staff)
    call_next(counter=place.counters[0], actor=staff)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_kiosk_gives_a_number_in_french_with_big_touch_targets(
    page, live_server, place, width, monkeypatch
):
    monkeypatch.setattr("cityhall.portal.views_queue_screens.KIOSK_RESET_SECONDS", 6)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"/en/queue/kiosk/{place.facility.public_id}/")
    page.get_by_role("link", name="Français").click()  # one tap to the other language
    page.wait_for_url("/fr/**")
    start = page.url
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_no_serious_accessibility_violations(page)
    service = page.locator(f'button[value="{place.service.code}"]')
    for target in (service, page.locator(".language-switch a"), page.locator("#kiosk-priority")):
        box = target.bounding_box()
        assert box is not None
        assert min(box["width"], box["height"]) >= 48
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    service.click()
    page.wait_for_url("**/queue/kiosk/*/ticket/*/")
    visit = Visit.objects.get()
    expect(page.locator(".kiosk-number")).to_have_text(visit.number)
    assert page.locator(".kiosk-qr img").evaluate("img => img.naturalWidth") > 0
    assert_no_serious_accessibility_violations(page)

    page.wait_for_url(start)  # back to the start by itself, for the next person


@pytest.mark.parametrize("width", WIDTHS)
def test_the_display_shows_each_call_as_it_happens(page, live_server, place, width):
    first = someone_ahead(place)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"/fr/queue/display/{place.facility.public_id}/")
    assert_no_serious_accessibility_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    staff = staff_on_duty(place.counters[0], at=first.joined_at)
    call_next(counter=place.counters[0], actor=staff)

    row = page.locator('[data-board="now_serving"] tr.is-called')
    expect(row).to_have_text(f"{first.number}{place.counters[0].label}")
    expect(page.locator('[data-service-code] [data-field="waiting"]')).to_have_text("0")
    assert_no_serious_accessibility_violations(page)
