"""Booking an appointment, and moving it from the emailed link, in a real browser with the
keyboard only; the pages pass axe in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cityhall.appointments.links import management_token
from cityhall.appointments.models import Booking
from cityhall.appointments.services import book_appointment
from cityhall.appointments.slots import city_zone, slots_between
from cityhall.appointments.tests.factories import bookable_place
from cityhall.core.testing import assert_no_serious_accessibility_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def place(transactional_db):
    return bookable_place(counters=1, opens="09:00", closes="12:00", name_en="Passport renewal")


def press(page, locator):
    locator.focus()
    page.keyboard.press("Enter")


def test_a_visitor_books_an_appointment_with_the_keyboard_only(page, live_server, place):
    page.goto(f"{live_server.url}/en/appointments/book/")
    assert_no_serious_accessibility_violations(page)

    press(page, page.get_by_role("link", name="Passport renewal"))
    press(page, page.get_by_role("link", name=place.facility.name_en))
    tomorrow = timezone.now().astimezone(city_zone()).date() + dt.timedelta(days=1)
    press(page, page.locator(f'a[href$="day={tomorrow.isoformat()}"]'))
    times = page.get_by_role("group")
    assert "Times on" in times.locator("legend").inner_text()
    assert_no_serious_accessibility_violations(page)
    times.get_by_role("radio").first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # the second time of the day
    page.get_by_label("Your email address").focus()
    page.keyboard.type("ana@example.org")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    page.get_by_role("heading", name="Check your email").wait_for()
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.AWAITING_CONFIRMATION
    assert booking.starts_at.astimezone(city_zone()).time() == dt.time(9, 15)
    assert_no_serious_accessibility_violations(page)


def test_an_appointment_moves_to_another_time_from_the_emailed_link(page, live_server, place):
    day = timezone.now().astimezone(city_zone()).date() + dt.timedelta(days=1)
    first = slots_between(service=place.service, facility=place.facility, first=day, last=day)[day][
        0
    ]
    booking = book_appointment(
        service=place.service,
        facility=place.facility,
        starts_at=first.starts_at,
        contact_email="ana@example.org",
    )
    page.goto(f"{live_server.url}/fr/appointments/manage/{management_token(booking)}/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_no_serious_accessibility_violations(page)

    page.get_by_role("group").get_by_role("radio").last.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    page.wait_for_url("**/appointments/booked/")
    booking.refresh_from_db()
    assert booking.starts_at.astimezone(city_zone()).time() == dt.time(11, 45)
    assert_no_serious_accessibility_violations(page)
