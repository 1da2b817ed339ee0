"""The API reference page works in a real browser and passes axe."""

from __future__ import annotations

import pytest

from cityhall.core.testing import assert_no_serious_accessibility_violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_api_reference_is_readable_and_accessible(page):
    page.goto("/api/docs/")

    assert page.get_by_role("heading", level=1).inner_text().startswith("CityHall API")
    page.get_by_role("link", name="POST /api/v1/requests", exact=True).click()
    assert page.get_by_role("heading", name="POST /api/v1/requests", exact=True).is_visible()
    assert_no_serious_accessibility_violations(page)
