"""A citizen in a real browser finds the place of a request: by a street the map draws and
names, by an address the register lacks, by an ambiguous name, on a phone-sized screen."""

from __future__ import annotations

import pytest

from cityhall.accounts.tests.fixtures import empty_cache, immediate_tasks  # noqa: F401 (fixtures)
from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.places.tests.factories import AddressFactory, DistrictFactory, FacilityFactory
from cityhall.portal.tests.browser_sessions import session_cookie_for
from cityhall.servicerequests.models import ServiceRequest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("transactional_db", "empty_cache", "immediate_tasks"),
]

FORM = "/{language}/services/pothole/request/"


@pytest.fixture
def pothole():
    service = ServiceFactory(
        code="pothole", name_en="Pothole", name_fr="Nid-de-poule", requires_location=True
    )
    DistrictFactory(name="Old Port", name_fr="Vieux-Port", south=45.50, west=-73.60, size=0.02)
    # Rue du Moulin runs north through the district: even numbers east, odd numbers west.
    for step in range(6):
        latitude = 45.505 + step * 0.002
        AddressFactory(civic_number=str(10 + 20 * step), street_name="Rue du Moulin",
                       latitude=latitude, longitude=-73.5899)  # fmt: skip
        AddressFactory(civic_number=str(11 + 20 * step), street_name="Rue du Moulin",
                       latitude=latitude, longitude=-73.5901)  # fmt: skip
    for name in ("Moulin Library", "Port Library"):
        FacilityFactory(name_en=name, name_fr=f"Bibliothèque {name.split()[0]}",
                        latitude=45.51, longitude=-73.595)  # fmt: skip
    return service


def _open_form(page, live_server, citizen, *, language="en", width=1280):
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([session_cookie_for(citizen, live_server.url)])
    page.goto(FORM.format(language=language))
    page.locator(".location-map").wait_for()


def test_the_map_draws_the_streets_and_names_them_close_up(page, live_server, citizen, pothole):
    _open_form(page, live_server, citizen)
    streets = page.locator(".location-map path.leaflet-interactive, .location-map path")
    assert streets.count() >= 3  # the district, and the street's edge and line
    assert page.locator(".street-name").count() == 0  # too far out to read them

    page.get_by_label("Address").fill("30 rue du moulin")
    page.get_by_role("button", name="Show this address on the map").click()

    page.locator(".street-name", has_text="Rue du Moulin").wait_for()
    assert page.get_by_text("Shown on the map: 30 Rue du Moulin").is_visible()
    assert_no_serious_accessibility_violations(page)


def test_a_number_the_register_lacks_files_at_its_estimated_position(
    page, live_server, citizen, pothole
):
    _open_form(page, live_server, citizen)
    page.get_by_label("Describe the problem").fill("A deep pothole by the mill's gate.")
    page.get_by_label("Address").fill("41 rue du moulin")  # between 31 and 51

    page.get_by_role("button", name="Send the request").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert "Several places match what you typed." in summary.inner_text()
    page.get_by_label("41 Rue du Moulin (estimated position, between 31 and 51)").check()
    page.get_by_role("button", name="Send the request").click()

    page.wait_for_url("**/en/requests/*/")
    service_request = ServiceRequest.objects.get()
    assert service_request.address_text == "41 Rue du Moulin"
    assert service_request.latitude == pytest.approx(45.508)


@pytest.mark.parametrize("width", [320, 1280])
def test_an_ambiguous_place_is_announced_and_a_place_shown_is_not_asked_again(
    page, live_server, citizen, pothole, width
):
    _open_form(page, live_server, citizen, width=width)
    page.get_by_label("Describe the problem").fill("A deep pothole by the library door.")
    page.get_by_label("Address").fill("library")

    page.get_by_role("button", name="Send the request").click()
    page.locator(".error-summary").wait_for()
    page.locator(".location-map").wait_for()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.get_by_role("link", name="Which place do you mean?").is_visible()
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("button", name="Show this address on the map").click()
    page.get_by_text("Shown on the map:").wait_for()
    page.get_by_role("button", name="Send the request").click()

    page.wait_for_url("**/en/requests/*/")
    assert ServiceRequest.objects.get().address_text.startswith("Moulin Library")


def test_the_missing_place_error_goes_once_a_place_is_found(page, live_server, citizen, pothole):
    _open_form(page, live_server, citizen)
    page.get_by_label("Describe the problem").fill("A deep pothole by the mill's gate.")
    page.get_by_role("button", name="Send the request").click()
    page.locator("#id_address_error").wait_for()
    page.locator(".location-map").wait_for()
    assert "Choose where the problem is." in page.locator(".error-summary").inner_text()

    page.get_by_label("Address").fill("30 rue du moulin")
    page.get_by_role("button", name="Show this address on the map").click()

    page.get_by_text("Shown on the map: 30 Rue du Moulin").wait_for()
    assert page.locator("#id_address_error").count() == 0
    assert page.locator(".error-summary").count() == 0
    assert page.get_by_label("Address").get_attribute("aria-describedby") == "id_address_helptext"


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("width", [320, 375])
def test_the_place_buttons_line_up_on_a_phone(page, live_server, citizen, pothole, language, width):
    _open_form(page, live_server, citizen, language=language, width=width)

    boxes = [button.bounding_box() for button in page.locator(".location-actions button").all()]

    assert len(boxes) == 2
    assert boxes[0]["x"] == boxes[1]["x"]
    assert boxes[0]["width"] == boxes[1]["width"]
    assert boxes[0]["x"] + boxes[0]["width"] <= width
    assert_no_serious_accessibility_violations(page)
