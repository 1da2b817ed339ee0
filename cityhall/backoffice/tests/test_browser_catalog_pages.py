"""The catalog pages in a real browser: accessible, and usable to add a question."""

import pytest
from playwright.sync_api import expect

from cityhall.accounts.tests.fixtures import (  # noqa: F401  (fixtures)
    empty_cache,
    immediate_tasks,
    sign_in_pauses,
)
from cityhall.backoffice.tests.staff_sign_in import sign_in_in_browser
from cityhall.catalog.models import ServiceField
from cityhall.catalog.tests.factories import DepartmentFactory, ServiceFactory, department_admin_of
from cityhall.core.testing import assert_no_serious_accessibility_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("empty_cache", "immediate_tasks", "sign_in_pauses"),
]


def test_a_department_admin_adds_a_question_through_accessible_pages(page):
    roads = DepartmentFactory(code="roads", name_en="Roads")
    pothole = ServiceFactory(code="pothole", name_en="Pothole", department=roads)
    sign_in_in_browser(page, department_admin_of(roads), start="/en/staff/")

    page.goto("/en/staff/services/")
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("link", name="Pothole").click()
    page.wait_for_url(f"**/en/staff/services/{pothole.public_id}/")
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("link", name="Add a question").click()
    page.get_by_label("Code").fill("size")
    page.get_by_label("Type").select_option("singlevaluelist")
    page.get_by_label("Question (English)").fill("Size")
    page.get_by_label("Question (French)").fill("Taille")
    page.get_by_label("Answers").fill("small | Small")
    page.get_by_role("button", name="Save the question").click()
    expect(
        page.get_by_text("Line 1 needs a key, an English and a French name.").first
    ).to_be_visible()
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Answers").fill("small | Small | Petit\nlarge | Large | Grand")
    page.get_by_role("button", name="Save the question").click()

    page.wait_for_url(f"**/en/staff/services/{pothole.public_id}/")
    assert ServiceField.objects.get(service=pothole).choices.count() == 2
    page.goto(f"/en/staff/services/{pothole.public_id}/routing/")
    assert_no_serious_accessibility_violations(page)
