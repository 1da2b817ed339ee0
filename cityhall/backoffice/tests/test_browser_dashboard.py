"""In a real browser, every role's home page is readable from a small phone to a desktop."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from cityhall.accounts.tests.factories import StaffRoleFactory, UserFactory
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

ROLES = [
    ("agent", "public-works"),
    ("supervisor", "public-works"),
    ("department_admin", "public-works"),
    ("communications_officer", "communications"),
    ("privacy_officer", None),
    ("city_admin", None),
]


def _signed_in(page, live_server, role: str, department_code: str | None):
    user = UserFactory(is_staff=True, full_name="Dominique Roy")
    department = DepartmentFactory(code=department_code) if department_code else None
    StaffRoleFactory(user=user, role=role, department=department)
    client = Client()
    sign_in_with_two_factor(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return user


@pytest.mark.parametrize(("role", "department_code"), ROLES)
@pytest.mark.parametrize(("width", "language"), [(320, "fr"), (1280, "en")])
def test_each_roles_home_has_no_serious_violation_and_no_sideways_scroll(
    page, live_server, role, department_code, width, language
):
    user = _signed_in(page, live_server, role, department_code)
    if department_code == "public-works":
        ServiceRequestFactory(assignee=user if role == "agent" else None)
    page.set_viewport_size({"width": width, "height": 800})

    page.goto(f"/{language}/staff/")

    assert page.locator(".dashboard-card").count() > 0
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert_no_serious_accessibility_violations(page)
