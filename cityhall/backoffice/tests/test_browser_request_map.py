"""In a real browser, an agent finds a request on the queue map and sees its photo."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.testing import assert_no_serious_accessibility_violations, loaded_image_width
from cityhall.places.tests.factories import DistrictFactory
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import Location, submit_service_request
from cityhall.servicerequests.tests.photo_files import image_bytes, upload, use_temporary_media

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def filed(settings, tmp_path, citizen):
    use_temporary_media(settings, tmp_path)
    DistrictFactory(name="Old Port", south=45.50, west=-73.60, size=0.02)
    return submit_service_request(
        reporter=citizen,
        service=ServiceFactory(code="pothole", name_en="Pothole", department__code="public-works"),
        description="A deep pothole in front of the mill.",
        answers={},
        location=Location(45.51, -73.59),
        channel=ServiceRequest.Channel.PORTAL,
        photos=[upload("hole.jpg", image_bytes("JPEG", size=(320, 240)))],
    )


@pytest.fixture
def agent_page(page, agent, live_server):
    client = Client()
    sign_in_with_two_factor(client, agent)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def test_an_agent_opens_a_request_from_the_map_and_sees_its_photo(agent_page, filed):
    agent_page.goto("/en/staff/requests/map/")
    marker = agent_page.get_by_role("button", name=filed.tracking_number)
    marker.click()
    popup = agent_page.locator(".leaflet-popup")
    popup.get_by_role("link", name=filed.tracking_number).click()

    agent_page.wait_for_url(f"**/en/staff/requests/{filed.public_id}/")
    photo = agent_page.get_by_role("img", name="Photo 1 of 1")
    assert loaded_image_width(photo) == 320
    assert_no_serious_accessibility_violations(agent_page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_map_page_has_no_serious_violation(agent_page, filed, language):
    agent_page.goto(f"/{language}/staff/requests/map/")
    agent_page.locator(".location-map .leaflet-marker-icon").wait_for()

    assert_no_serious_accessibility_violations(agent_page)
