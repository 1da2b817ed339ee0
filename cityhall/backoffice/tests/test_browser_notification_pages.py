"""The notification pages in a real browser: accessible, and the editor's preview follows typing."""

import pytest
from playwright.sync_api import expect

from cityhall.accounts.models import StaffRole
from cityhall.accounts.tests.factories import StaffRoleFactory
from cityhall.accounts.tests.fixtures import (  # noqa: F401  (fixtures)
    empty_cache,
    immediate_tasks,
    sign_in_pauses,
)
from cityhall.backoffice.tests.staff_sign_in import sign_in_in_browser
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.notifications.models import ChannelKind, Delivery, Notification, Template, Topic
from cityhall.notifications.tests.factories import TemplateFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("empty_cache", "immediate_tasks", "sign_in_pauses"),
]


def test_an_officer_rewords_a_text_watching_the_preview_and_reads_the_figures(page):
    officer = StaffRoleFactory(role=StaffRole.Role.COMMUNICATIONS_OFFICER, department=None).user
    template = TemplateFactory(code="request-closed", language="en", variables=["name", "number"])
    notification = Notification.objects.create(
        recipient=officer, topic=Topic.MY_REQUESTS, template_code="request-closed",
        event_key="request-closed:1", language="en", subject="Closed", body="Closed.",
    )  # fmt: skip
    Delivery.objects.create(notification=notification, channel=ChannelKind.EMAIL,
                            status=Delivery.Status.DELIVERED, body="Closed.")  # fmt: skip
    sign_in_in_browser(page, officer, start="/en/staff/")

    page.get_by_role("navigation", name="Back office").get_by_role(
        "link", name="Notifications"
    ).click()
    page.wait_for_url("**/en/staff/notifications/")
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("link", name="English · request-closed").click()
    page.wait_for_url(f"**/en/staff/notifications/texts/{template.public_id}/")
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Subject").fill("All done, request {{ number }}")
    preview = page.locator("#template-preview")
    preview.get_by_text("All done, request 2026-000123").wait_for()
    page.get_by_label("Message").fill("Bye {{ nickname }}")
    page.get_by_role("button", name="Save the text").click()
    expect(page.get_by_text("Unknown variables: nickname.").first).to_be_visible()
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Message").fill("Bye {{ name }}")
    page.get_by_role("button", name="Save the text").click()
    page.wait_for_url("**/en/staff/notifications/")
    assert Template.objects.get(pk=template.pk).body == "Bye {{ name }}"

    page.get_by_role("link", name="Figures per channel and day").click()
    page.wait_for_url("**/en/staff/notifications/figures/")
    assert page.get_by_role("cell", name="Email").count() == 1
    assert_no_serious_accessibility_violations(page)
