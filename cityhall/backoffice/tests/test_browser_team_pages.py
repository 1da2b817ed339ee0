"""The team pages in a real browser: accessible, and usable to create a team and its members."""

import pytest

from cityhall.accounts.tests.factories import StaffRoleFactory
from cityhall.accounts.tests.fixtures import (  # noqa: F401  (fixtures)
    empty_cache,
    immediate_tasks,
    sign_in_pauses,
)
from cityhall.backoffice.tests.staff_sign_in import sign_in_in_browser
from cityhall.catalog.tests.factories import DepartmentFactory, department_admin_of
from cityhall.core.testing import assert_no_serious_accessibility_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("empty_cache", "immediate_tasks", "sign_in_pauses"),
]


def test_a_department_admin_creates_a_team_through_accessible_pages(page):
    roads = DepartmentFactory(code="roads", name_en="Roads")
    StaffRoleFactory(department=roads, user__full_name="Rémi Tremblay")
    sign_in_in_browser(page, department_admin_of(roads), start="/en/staff/")

    page.get_by_role("navigation", name="Back office").get_by_role("link", name="Teams").click()
    page.wait_for_url("**/en/staff/teams/")
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("link", name="Create a team").click()
    page.get_by_role("button", name="Create the team").click()
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Department").select_option(label="Roads")
    page.get_by_label("Name (English)").fill("Pothole crew")
    page.get_by_label("Name (French)").fill("Équipe des nids-de-poule")
    page.get_by_role("button", name="Create the team").click()
    page.get_by_label("Rémi Tremblay").check()
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("button", name="Save the team").click()
    page.wait_for_url("**/en/staff/teams/")
    assert "Rémi Tremblay" in page.locator("table").inner_text()
