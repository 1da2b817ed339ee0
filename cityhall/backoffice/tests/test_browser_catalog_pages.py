"""The catalog pages in a real browser: accessible, and usable to add a question."""

import pytest

from cityhall.accounts.tests.factories import DEFAULT_PASSWORD
from cityhall.accounts.tests.fixtures import (  # noqa: F401  (fixtures)
    empty_cache,
    give_confirmed_totp,
    immediate_tasks,
    sign_in_pauses,
)
from cityhall.catalog.models import ServiceField
from cityhall.catalog.tests.factories import DepartmentFactory, ServiceFactory, department_admin_of
from cityhall.core.testing import assert_no_serious_accessibility_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("empty_cache", "immediate_tasks", "sign_in_pauses"),
]


def _sign_in(page, user):
    totp = give_confirmed_totp(user)
    page.goto("/en/staff/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/en/staff/sign-in/code/")
    page.get_by_label("Code from your authenticator app").fill(totp.now())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/en/staff/")


def test_a_department_admin_adds_a_question_through_accessible_pages(page):
    roads = DepartmentFactory(code="roads", name_en="Roads")
    pothole = ServiceFactory(code="pothole", name_en="Pothole", department=roads)
    _sign_in(page, department_admin_of(roads))

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
    assert page.get_by_text("Line 1 needs a key, an English and a French name.").count() >= 1
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Answers").fill("small | Small | Petit\nlarge | Large | Grand")
    page.get_by_role("button", name="Save the question").click()

    page.wait_for_url(f"**/en/staff/services/{pothole.public_id}/")
    assert ServiceField.objects.get(service=pothole).choices.count() == 2
    page.goto(f"/en/staff/services/{pothole.public_id}/routing/")
    assert_no_serious_accessibility_violations(page)
