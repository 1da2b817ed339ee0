"""In a real browser, a counter agent opens a session, checks a booking in, calls the next
ticket and serves it, with the keyboard and plain forms; the page is axe clean at phone and
desktop widths."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from cityhall.accounts.tests.factories import UserFactory
from cityhall.appointments.models import Booking, Visit
from cityhall.appointments.services_queue import take_ticket
from cityhall.appointments.tests.factories import bookable_place
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.core.testing import assert_no_serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def agent_page(page, agent, live_server):
    client = Client()
    sign_in_with_two_factor(client, agent)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


@pytest.mark.parametrize("width", [375, 1280])
def test_an_agent_opens_a_session_checks_in_and_serves_the_next_ticket(agent_page, width):
    agent_page.set_viewport_size({"width": width, "height": 900})
    place = bookable_place(counters=2, opens="00:00", closes="23:59:59.999999")
    now = timezone.now()
    Booking.objects.create(
        service=place.service,
        facility=place.facility,
        counter=place.counters[1],
        starts_at=now + dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(minutes=45),
        status=Booking.Status.CONFIRMED,
        citizen=UserFactory(),
    )
    ticket = take_ticket(
        facility=place.facility,
        service=place.service,
        channel="kiosk",
        actor=None,
        now=now - dt.timedelta(minutes=20),
    )
    page = agent_page

    page.goto("/en/staff/counter/")
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("link", name=place.facility.name_en).click()
    page.wait_for_url(f"**/en/staff/counter/{place.facility.public_id}/")
    page.get_by_label("Counter").select_option(label=place.counters[0].label)
    page.get_by_role("button", name="Open my session").press("Enter")
    page.get_by_text(f"You are on duty at counter {place.counters[0].label}.").wait_for()
    assert_no_serious_accessibility_violations(page)

    page.get_by_role("button", name="Check in").press("Enter")
    page.get_by_text("The appointment is checked in.").wait_for()
    page.get_by_role("button", name="Call next").press("Enter")
    page.get_by_text(f"Ticket {ticket.number} is called.").wait_for()
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("button", name="Start serving").press("Enter")
    page.get_by_text(f"Serving ticket {ticket.number}.").wait_for()
    page.get_by_role("button", name="Finish").press("Enter")
    page.get_by_text(f"Ticket {ticket.number} is served.").wait_for()

    ticket.refresh_from_db()
    assert ticket.status == Visit.Status.SERVED
    assert Visit.objects.filter(kind=Visit.Kind.APPOINTMENT, status="waiting").count() == 1
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
