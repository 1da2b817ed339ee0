"""A citizen in a real browser files a request with a photo, by map click or by keyboard only."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from cityhall.accounts.tests.fixtures import empty_cache, immediate_tasks  # noqa: F401 (fixtures)
from cityhall.catalog.models import ServiceField
from cityhall.catalog.tests.factories import ServiceFactory, ServiceFieldFactory
from cityhall.core.testing import assert_no_serious_accessibility_violations, loaded_image_width
from cityhall.places.tests.factories import AddressFactory, DistrictFactory
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.photo_files import jpeg_with_gps_bytes, use_temporary_media

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("transactional_db", "empty_cache", "immediate_tasks"),
]

#: More Tab presses than the request form has focusable elements.
MAX_TABS = 80
PHOTO = {"name": "pothole.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps_bytes()}


@pytest.fixture
def media(settings, tmp_path):
    return use_temporary_media(settings, tmp_path)


@pytest.fixture
def pothole():
    service = ServiceFactory(
        code="pothole", name_en="Pothole", name_fr="Nid-de-poule", requires_location=True
    )
    ServiceFieldFactory(
        service=service,
        code="depth",
        datatype=ServiceField.Datatype.NUMBER,
        is_required=True,
        label_en="Depth (cm)",
        label_fr="Profondeur (cm)",
    )
    DistrictFactory(name="Old Port", name_fr="Vieux-Port", south=45.50, west=-73.60, size=0.02)
    AddressFactory(civic_number="12", street_name="Rue du Moulin", latitude=45.51, longitude=-73.59)
    return service


def _sign_in(page, user, url):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": url}])


def _tab_to(page, selector):
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_citizen_files_a_request_with_a_photo_and_a_map_click(
    page, live_server, citizen, pothole, media
):
    _sign_in(page, citizen, live_server.url)
    page.goto("/en/services/pothole/request/")
    page.get_by_label("Describe the problem").fill("A deep pothole in front of the mill.")
    page.get_by_label("Depth (cm)").fill("15")
    page.get_by_label("Photos").set_input_files(PHOTO)
    the_map = page.get_by_role("region", name="Map of the city")
    the_map.wait_for()
    the_map.click()  # the centre of the district drawn on the map
    page.get_by_text("Chosen on the map: Near 12 Rue du Moulin.").wait_for()
    assert_no_serious_accessibility_violations(page)

    page.get_by_role("button", name="Send the request").click()

    page.wait_for_url("**/en/requests/*/")
    service_request = ServiceRequest.objects.get()
    assert service_request.latitude == pytest.approx(45.51, abs=0.005)
    assert service_request.longitude == pytest.approx(-73.59, abs=0.005)
    assert service_request.district is not None
    assert service_request.district.name == "Old Port"
    assert service_request.photos.count() == 1
    photo = page.get_by_role("img", name="Photo 1 of 1")
    assert loaded_image_width(photo) > 0
    assert_no_serious_accessibility_violations(page)


def test_the_same_request_by_keyboard_only_with_the_address(
    page, live_server, citizen, pothole, media
):
    _sign_in(page, citizen, live_server.url)
    page.goto("/en/services/pothole/request/")

    _tab_to(page, "textarea[name=description]")
    page.keyboard.type("A deep pothole in front of the mill.")
    _tab_to(page, "input[name=answer_depth]")
    page.keyboard.type("15")
    _tab_to(page, "input[name=address]")
    page.keyboard.type("12 rue du moulin")
    _tab_to(page, "input[type=file][name=photos]")
    # The keyboard reaches the picker; choosing the file happens in the system's dialog, outside
    # the page, which headless Chromium does not open reliably when several tests share it.
    page.locator("input[type=file][name=photos]").set_input_files(PHOTO)
    _tab_to(page, "#request-form button[type=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url("**/en/requests/*/")
    service_request = ServiceRequest.objects.get()
    assert service_request.address_text == "12 Rue du Moulin"
    assert service_request.photos.count() == 1


def test_the_map_places_the_marker_from_the_keyboard(page, live_server, citizen, pothole):
    _sign_in(page, citizen, live_server.url)
    page.goto("/en/services/pothole/request/")
    page.get_by_role("region", name="Map of the city").wait_for()

    _tab_to(page, ".location-map")
    page.keyboard.press("Enter")

    page.get_by_text("Chosen on the map:").wait_for()
    assert page.locator("input[name=latitude]").input_value()
    assert page.locator("input[name=address]").input_value() == ""


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_form_with_its_mistakes_has_no_serious_violation(
    page, live_server, citizen, pothole, media, language
):
    _sign_in(page, citizen, live_server.url)
    page.goto(f"/{language}/services/pothole/request/")
    page.locator(".location-map").wait_for()
    assert_no_serious_accessibility_violations(page)

    page.locator("textarea[name=description]").fill("Hole")
    page.locator("input[name=photos]").set_input_files(
        [PHOTO, {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not an image"}]
    )
    page.locator("#request-form button[type=submit]").click()
    page.get_by_role("alert").wait_for()
    page.locator(".location-map").wait_for()

    assert "notes.jpg" in page.locator("#id_photos_error").inner_text()
    assert "pothole.jpg" in page.locator("#kept-photos").inner_text()
    assert_no_serious_accessibility_violations(page)


def test_without_javascript_the_address_and_photo_still_file_the_request(
    chromium, live_server, citizen, pothole, media
):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    try:
        _sign_in(tab, citizen, live_server.url)
        tab.goto("/en/services/pothole/request/")
        assert tab.locator(".location-map").count() == 0
        tab.get_by_label("Describe the problem").fill("A deep pothole in front of the mill.")
        tab.get_by_label("Depth (cm)").fill("15")
        tab.get_by_label("Address").fill("12 rue du moulin")
        tab.get_by_label("Photos").set_input_files(PHOTO)
        tab.get_by_role("button", name="Send the request").click()

        tab.wait_for_url("**/en/requests/*/")
        service_request = ServiceRequest.objects.get()
        assert service_request.address_text == "12 Rue du Moulin"
        assert service_request.photos.count() == 1
    finally:
        context.close()
