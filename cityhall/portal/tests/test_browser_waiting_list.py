"""Joining a waiting list by keyboard in a real browser, and its pages under axe."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cityhall.appointments.models import WaitingListEntry
from cityhall.appointments.tests.factories import bookable_place
from cityhall.core.testing import assert_no_serious_accessibility_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def citizen_page(page, citizen, client, live_server):
    client.force_login(citizen)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    return page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_citizen_joins_by_keyboard_and_sees_the_entry_in_my_appointments(
    citizen_page, citizen, language
):
    place = bookable_place()
    with translation.override(language):
        join_url = reverse("portal:join_waiting_list")
        mine_url = reverse("portal:my_appointments")
    citizen_page.goto(
        f"{join_url}?service={place.service.code}&facility={place.facility.public_id}"
    )
    assert_no_serious_accessibility_violations(citizen_page)

    # The days come filled in (today and two weeks on): the form is sent from the keyboard.
    citizen_page.locator("main form button.button").focus()
    citizen_page.keyboard.press("Enter")
    citizen_page.wait_for_url("**/waiting-list/joined/")
    assert WaitingListEntry.objects.get(citizen=citizen).status == WaitingListEntry.Status.WAITING

    citizen_page.goto(mine_url)
    name = place.service.name_fr if language == "fr" else place.service.name_en
    assert citizen_page.locator(".waiting-entry h3").inner_text() == name
    assert_no_serious_accessibility_violations(citizen_page)
