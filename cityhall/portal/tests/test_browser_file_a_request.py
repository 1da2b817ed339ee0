"""A signed-in citizen in a real browser finds a service and files a request by keyboard."""

import pytest

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
    page.wait_for_url("**/en/account/")

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
