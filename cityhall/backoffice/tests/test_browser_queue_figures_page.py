"""In a real browser, the queue figures page is readable on a small phone and a desktop, and
its form chooses another period by keyboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from cityhall.accounts.tests.factories import StaffRoleFactory, UserFactory
from cityhall.appointments.models import CounterSession, Visit
from cityhall.appointments.slots import city_zone
from cityhall.appointments.tests.factories import bookable_place
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.core.testing import assert_no_serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _signed_in_supervisor(page, live_server):
    user = UserFactory(is_staff=True, full_name="Dominique Roy")
    StaffRoleFactory(user=user, role="supervisor", department=None)
    client = Client()
    sign_in_with_two_factor(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _a_served_visit_yesterday():
    place = bookable_place()
    day = timezone.now().astimezone(city_zone()).date() - dt.timedelta(days=1)
    nine = dt.datetime.combine(day, dt.time(9), tzinfo=city_zone())
    CounterSession.objects.create(
        counter=place.counters[0], staff=UserFactory(),
        opened_at=nine, closed_at=nine + dt.timedelta(hours=2),
    )  # fmt: skip
    Visit.objects.create(
        facility=place.facility, service=place.service, day=day, number="A001",
        kind=Visit.Kind.WALK_IN, channel=Visit.Channel.KIOSK, status=Visit.Status.SERVED,
        joined_at=nine, called_at=nine + dt.timedelta(minutes=12),
        serving_started_at=nine + dt.timedelta(minutes=12),
        finished_at=nine + dt.timedelta(minutes=30), counter=place.counters[0],
    )  # fmt: skip
    return day


@pytest.mark.parametrize(("width", "language"), [(320, "fr"), (1280, "en")])
def test_the_figures_page_has_no_serious_violation(page, live_server, width, language):
    _signed_in_supervisor(page, live_server)
    _a_served_visit_yesterday()
    page.set_viewport_size({"width": width, "height": 800})

    page.goto(f"/{language}/staff/appointments/figures/")

    expect(page.locator("table").first).to_be_visible()
    assert_no_serious_accessibility_violations(page)


def test_a_period_is_chosen_with_the_keyboard(page, live_server):
    _signed_in_supervisor(page, live_server)
    day = _a_served_visit_yesterday()
    page.goto("/en/staff/appointments/figures/")

    page.get_by_label("From").fill(day.isoformat())
    page.get_by_label("To").fill(day.isoformat())
    page.get_by_label("To").press("Enter")

    page.wait_for_url(f"**first={day.isoformat()}**")
    expect(page.get_by_role("table", name="By counter")).to_be_visible()
