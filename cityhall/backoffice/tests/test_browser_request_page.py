"""In a real browser, the request page reads as a workspace: the request and its history beside
the actions on a wide screen, one column on a phone, a map of the place, and staff kept where
they acted."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.catalog.tests.factories import ServiceFieldChoiceFactory, ServiceFieldFactory
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def located():
    service_request = ServiceRequestFactory(
        tracking_number="PW-26-000077",
        latitude=45.51,
        longitude=-73.59,
        address_text="12 Rue des Érables",
        answers={"problem": "flickering"},
    )
    problem = ServiceFieldFactory(
        service=service_request.service,
        code="problem",
        datatype="singlevaluelist",
        label_en="Is the light flickering or out?",
        label_fr="La lumière clignote-t-elle ou est-elle éteinte?",
    )
    ServiceFieldChoiceFactory(
        field=problem, key="flickering", name_en="Flickering", name_fr="Clignote"
    )
    return service_request


@pytest.fixture
def agent_page(page, agent, live_server):
    client = Client()
    sign_in_with_two_factor(client, agent)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def _boxes(page):
    record = page.locator(".request-record").bounding_box()
    actions = page.locator(".request-actions").bounding_box()
    return record, actions


def test_on_a_wide_screen_the_actions_stand_beside_the_request(agent_page, located):
    agent_page.set_viewport_size({"width": 1280, "height": 900})
    agent_page.goto(f"/en/staff/requests/{located.public_id}/")
    agent_page.locator(".request-map .leaflet-marker-icon").wait_for()

    record, actions = _boxes(agent_page)

    assert actions["x"] >= record["x"] + record["width"]
    assert abs(actions["y"] - record["y"]) < 80
    assert "Flickering" in agent_page.locator(".answers").inner_text()
    assert_no_serious_accessibility_violations(agent_page)


@pytest.mark.parametrize("width", [320, 375])
def test_on_a_phone_the_page_is_one_column_without_sideways_scrolling(agent_page, located, width):
    agent_page.set_viewport_size({"width": width, "height": 800})
    agent_page.goto(f"/fr/staff/requests/{located.public_id}/")
    agent_page.locator(".request-map .leaflet-marker-icon").wait_for()

    record, actions = _boxes(agent_page)
    overflow = agent_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")

    assert actions["y"] >= record["y"] + record["height"]
    assert overflow <= 0
    assert "Clignote" in agent_page.locator(".answers").inner_text()
    assert_no_serious_accessibility_violations(agent_page)


def test_after_an_action_the_page_opens_at_its_section_with_the_outcome(agent_page, located):
    agent_page.set_viewport_size({"width": 1280, "height": 900})
    agent_page.goto(f"/en/staff/requests/{located.public_id}/")

    agent_page.locator("summary", has_text="Add an internal note").click()
    agent_page.get_by_label("Note for staff").fill("Called the reporter back.")
    agent_page.get_by_role("button", name="Add the note").click()
    agent_page.wait_for_url("**#internal-note")

    section = agent_page.locator("#internal-note")
    assert section.get_attribute("open") is not None
    assert "The internal note is in the timeline." in section.inner_text()
    assert section.locator(".message-success").is_visible()
    assert "Called the reporter back." in agent_page.locator(".timeline").inner_text()
