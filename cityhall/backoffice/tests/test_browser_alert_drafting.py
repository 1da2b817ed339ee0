"""Drafting and approving an alert in a real browser: a communications officer drafts one over
districts with the keyboard, a second officer approves it, and it appears on the public alerts
page; at phone and desktop widths, axe clean; the form in French."""

from unittest import mock
from urllib.parse import urlsplit

import pytest

from cityhall.accounts.tests.fixtures import (  # noqa: F401  (fixtures)
    empty_cache,
    sign_in_pauses,
)
from cityhall.alerts.tests.alert_factories import officer
from cityhall.alerts.tests.factories import AlertSubscriberFactory
from cityhall.backoffice.tests.staff_sign_in import sign_in_in_browser
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.places.tests.factories import DistrictFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("transactional_db", "empty_cache", "sign_in_pauses"),
]
FAN_OUT = "cityhall.alerts.services.workflow.start_fan_out"


def no_horizontal_scroll(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def type_into(page, group: str, label: str, text: str) -> None:
    """Tab-reachable field in the fieldset `group`, typed key by key."""
    field = page.get_by_role("group", name=group).get_by_label(label, exact=True)
    field.focus()
    page.keyboard.type(text)


@pytest.mark.parametrize("width", [375, 1280])
def test_an_officer_drafts_by_districts_and_a_second_officer_approves(page, width) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    riverside = DistrictFactory(name="Riverside")
    DistrictFactory(name="Hilltop", south=45.52)
    AlertSubscriberFactory(latitude=45.51, longitude=-73.59)
    drafter, approver = officer(), officer()

    sign_in_in_browser(page, drafter, start="/en/staff/alerts/")
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("link", name="Draft an alert").click()
    page.wait_for_url("**/en/staff/alerts/new/")

    page.get_by_label("Category").select_option(label="Weather")
    page.get_by_label("Urgency").select_option(label="Immediate")
    page.get_by_label("Severity").select_option(label="Severe")
    page.get_by_label("Certainty").select_option(label="Likely")
    for group, texts in {
        "Texts in English": ("Flood warning", "River flooding", "Leave the riverbank now."),
        "Texts in French": ("Inondation", "Crue de la rivière", "Quittez les berges."),
    }.items():
        event, headline, short = texts
        type_into(page, group, "Event (for example: Flood warning)", event)
        type_into(page, group, "Headline", headline)
        type_into(page, group, "Short text (phones and SMS)", short)
        type_into(page, group, "Description", headline)
        type_into(page, group, "Area, in words", "Riverside")
    counter = page.get_by_role("group", name="Texts in English").locator(".char-counter")
    assert counter.inner_text() == "24 of 360 characters"
    page.get_by_label(riverside.name).focus()
    page.keyboard.press("Space")
    reach = page.locator("[data-reach-output]")
    reach.filter(has_text="This area reaches 1 subscriber.").wait_for()
    no_horizontal_scroll(page)
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("button", name="Save the draft").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/staff/alerts/*-*/")
    detail_url = page.url
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("button", name="Ask for approval").click()
    page.get_by_text("Awaiting approval").first.wait_for()
    assert page.get_by_text("You cannot approve your own alert").is_visible()

    page.context.clear_cookies()
    sign_in_in_browser(page, approver, start=urlsplit(detail_url).path)
    assert "Crue de la rivière" in page.content()
    assert_no_serious_accessibility_violations(page)
    with mock.patch(FAN_OUT):
        page.get_by_role("button", name="Approve and publish").click()
        page.get_by_text("The alert is published and is being sent.").wait_for()
    assert page.get_by_role("heading", name="Sending").is_visible()
    no_horizontal_scroll(page)
    assert_no_serious_accessibility_violations(page)

    page.goto("/en/alerts/")
    assert "River flooding" in page.locator("main").inner_text()


def test_the_form_in_french_is_accessible_and_counts_characters(page) -> None:
    DistrictFactory(name="Riverside")
    sign_in_in_browser(page, officer(), start="/en/staff/alerts/")
    page.goto("/fr/staff/alerts/new/")
    assert page.locator("html").get_attribute("lang") == "fr"
    short = page.locator("#id_fr_short_text")
    short.fill("x" * 361)
    counter = page.locator("#id_fr_short_text_counter")
    assert counter.get_attribute("class") == "char-counter char-counter-over"
    assert "361" in counter.inner_text()
    page.locator("#id_area_kind_1").check()
    assert page.locator("[data-area-map] .leaflet-container").is_visible()
    assert page.locator("#id_area_geojson").is_visible()
    assert not page.locator("#id_districts").is_visible()
    assert_no_serious_accessibility_violations(page)
