"""A signed-in citizen in a real browser finds a service and files a request by keyboard."""

import pytest
from django.conf import settings
from django.test import Client

from cityhall.accounts.tests.factories import DEFAULT_PASSWORD
from cityhall.accounts.tests.fixtures import empty_cache, immediate_tasks  # noqa: F401 (fixtures)
from cityhall.catalog.models import ServiceField
from cityhall.catalog.tests.factories import ServiceFactory, ServiceFieldFactory
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.places.tests.factories import AddressFactory
from cityhall.servicerequests.models import ServiceRequest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("transactional_db", "empty_cache", "immediate_tasks"),
]

#: More Tab presses than any of these pages has focusable elements.
MAX_TABS = 60


def _tab_to(page, selector):
    """Press Tab until the element matching `selector` has the keyboard focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.fixture
def pothole():
    service = ServiceFactory(
        code="pothole",
        name_en="Pothole",
        name_fr="Nid-de-poule",
        keywords_en=["road", "hole"],
        description_en="A hole in the street.",
    )
    ServiceFieldFactory(
        service=service,
        code="depth",
        datatype=ServiceField.Datatype.NUMBER,
        is_required=True,
        label_en="Depth (cm)",
    )
    AddressFactory(civic_number="123", street_name="Rue des Érables", latitude=45.52)
    return service


def test_citizen_finds_pothole_and_files_a_request_by_keyboard(page, citizen, pothole):
    page.goto("/en/account/sign-in/")
    _tab_to(page, "input[name=email]")
    page.keyboard.type(citizen.email)
    _tab_to(page, "input[name=password]")
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/requests/")

    page.goto("/en/services/")
    assert_no_serious_accessibility_violations(page)
    _tab_to(page, "input[name=q]")
    page.keyboard.type("pothole")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/services/?q=pothole")
    assert_no_serious_accessibility_violations(page)

    _tab_to(page, "#results-heading ~ ul a[href$='/services/pothole/request/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/services/pothole/request/")
    assert_no_serious_accessibility_violations(page)
    _tab_to(page, "textarea[name=description]")
    page.keyboard.type("A deep pothole in front of the library.")
    _tab_to(page, "input[name=answer_depth]")
    page.keyboard.type("15")
    _tab_to(page, "input[name=address]")
    page.keyboard.type("123 rue des erables")
    page.keyboard.press("Enter")

    page.wait_for_url("**/en/requests/*/")
    service_request = ServiceRequest.objects.get()
    assert page.locator("h1").inner_text() == f"Request {service_request.tracking_number}"
    assert "A deep pothole in front of the library." in page.get_by_role("main").inner_text()
    assert service_request.address_text == "123 Rue des Érables"
    assert_no_serious_accessibility_violations(page)


def test_use_my_position_fills_the_place_and_files_it(page, live_server, citizen, pothole):
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 45.5123, "longitude": -73.5987})
    page.context.add_cookies([_session_cookie_for(citizen, live_server.url)])

    page.goto("/en/services/pothole/request/")
    page.get_by_label("Describe the problem").fill("A deep pothole in front of the library.")
    page.get_by_label("Depth (cm)").fill("15")
    page.get_by_role("button", name="Use my current position").click()
    page.get_by_text("Your current position will be used.").wait_for()
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("button", name="Send the request").click()

    page.wait_for_url("**/en/requests/*/")
    service_request = ServiceRequest.objects.get()
    assert (service_request.latitude, service_request.longitude) == (45.5123, -73.5987)


def _session_cookie_for(user, url):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value, "url": url}


def test_mistakes_and_the_address_choice_are_accessible(page, live_server, citizen, pothole):
    AddressFactory(civic_number="123", street_name="Rue des Érables", unit="2", latitude=45.53)
    page.context.add_cookies([_session_cookie_for(citizen, live_server.url)])
    page.goto("/en/services/pothole/request/")

    page.get_by_label("Describe the problem").fill("Hole")
    page.get_by_label("Address", exact=False).first.fill("123 rue des erables")
    page.get_by_role("button", name="Send the request").click()
    page.get_by_role("alert").wait_for()
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Describe the problem").fill("A deep pothole in front of the library.")
    page.get_by_label("Depth (cm)").fill("15")
    page.get_by_label("123-2 Rue des Érables").check()
    page.get_by_role("button", name="Send the request").click()

    page.wait_for_url("**/en/requests/*/")
    assert ServiceRequest.objects.get().latitude == 45.53
