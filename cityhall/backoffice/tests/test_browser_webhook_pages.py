"""The webhook pages in a real browser: accessible, and usable to subscribe a city system."""

import pytest
from playwright.sync_api import expect

from cityhall.accounts.tests.fixtures import (  # noqa: F401  (fixtures)
    empty_cache,
    immediate_tasks,
    sign_in_pauses,
)
from cityhall.backoffice.tests.staff_sign_in import sign_in_in_browser
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.integrations.models import WebhookDelivery, WebhookSubscription
from cityhall.integrations.tests.factories import WebhookDeliveryFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("empty_cache", "immediate_tasks", "sign_in_pauses"),
]


def test_a_city_admin_subscribes_a_system_and_reads_its_log_through_accessible_pages(page, admin):
    sign_in_in_browser(page, admin, start="/en/staff/")

    page.get_by_role("navigation", name="Back office").get_by_role("link", name="Webhooks").click()
    page.wait_for_url("**/en/staff/webhooks/")
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("link", name="Add a subscription").click()
    page.get_by_label("Name of the city system").fill("Asset management")
    page.get_by_label("Address that receives the events").fill("http://example.org/hooks")
    page.get_by_label("A request was filed").check()
    page.get_by_role("button", name="Create the subscription").click()
    expect(
        page.get_by_text("Enter a public address that starts with https://.").first
    ).to_be_visible()
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Address that receives the events").fill("https://assets.example.org/in")
    page.get_by_role("button", name="Create the subscription").click()
    secret = page.get_by_label("Signing secret").input_value()
    assert secret.startswith("whsec_")
    assert_no_serious_accessibility_violations(page)

    subscription = WebhookSubscription.objects.get()
    WebhookDeliveryFactory(subscription=subscription, status=WebhookDelivery.Status.FAILED)
    page.get_by_role("link", name="Go to the subscription").click()
    page.wait_for_url(f"**/en/staff/webhooks/{subscription.public_id}/")
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("link", name="All deliveries to this address").click()
    expect(page.get_by_text("1 delivery matches the filters")).to_have_count(1)
    assert_no_serious_accessibility_violations(page)
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page.get_by_role("button", name="Send it again")).to_have_count(1)
    assert_no_serious_accessibility_violations(page)


@pytest.fixture
def page_with_a_delivery(page, admin):
    sign_in_in_browser(page, admin, start="/en/staff/")
    subscription = WebhookSubscription.objects.create(
        city_system="Asset management system of the public works department",
        target_url="https://assets.example.org/" + "very-long-path/" * 8,
        events=["service_request.created"],
        encrypted_secret="-",
    )
    delivery = WebhookDeliveryFactory(subscription=subscription, body='{"data":' + "1" * 400 + "}")
    return page, subscription, delivery


def test_webhook_pages_fit_a_320_pixel_screen_and_pass_axe_there(page_with_a_delivery):
    page, subscription, delivery = page_with_a_delivery
    page.set_viewport_size({"width": 320, "height": 640})

    for path in (
        "/en/staff/webhooks/",
        "/en/staff/webhooks/new/",
        f"/en/staff/webhooks/{subscription.public_id}/",
        "/en/staff/webhooks/deliveries/",
        f"/en/staff/webhooks/deliveries/{delivery.public_id}/",
    ):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
        assert_no_serious_accessibility_violations(page)
