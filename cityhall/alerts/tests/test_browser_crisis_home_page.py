"""The crisis home page in a real browser: both languages, phone and desktop widths, axe."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from cityhall.alerts.models import Alert
from cityhall.alerts.tests.alert_factories import publish
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.places.models import Facility
from cityhall.places.tests.factories import FacilityFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def crisis() -> Alert:
    FacilityFactory(
        kind=Facility.Kind.COMMUNITY_CENTRE,
        name_en="Hilltop Community Centre",
        name_fr="Centre communautaire de la Colline",
        address_text="12 Hill Road",
        phone="555-0100",
        latitude=45.60,
    )
    return publish(severity=Alert.Severity.EXTREME)


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize(
    ("language", "instruction", "shelter"),
    [
        ("en", "Move to higher ground", "Hilltop Community Centre"),
        ("fr", "Gagnez un terrain plus élevé", "Centre communautaire de la Colline"),
    ],
)
def test_the_crisis_home_page_says_what_to_do_and_where_to_go(
    page, crisis, width, language, instruction, shelter
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/{language}/")

    assert page.locator("html").get_attribute("lang") == language
    with translation.override(language):
        assert page.locator("h1").inner_text() == gettext("Emergency in progress")
    assert instruction in page.locator(".emergency-instruction").inner_text()
    assert shelter in page.locator(".place-list").first.inner_text()
    assert page.locator(".crisis-banner").is_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert_no_serious_accessibility_violations(page)

    page.locator(".emergency-alert a").first.click()
    page.wait_for_url(f"**/{language}/alerts/{crisis.identifier}/")
    assert page.locator("h1").inner_text() == crisis.text(language).headline
    assert_no_serious_accessibility_violations(page)
