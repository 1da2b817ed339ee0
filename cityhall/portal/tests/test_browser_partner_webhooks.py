"""A partner's manager sets up a webhook in a real browser, keyboard only, finds the partner
pages from the navigation on a phone and a desktop, copies the whole secret, and every page of
the partner area passes axe in both languages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from cityhall.accounts.tests.factories import PartnerMembershipFactory, PartnerOrganisationFactory
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.integrations.models import WebhookSubscription
from cityhall.integrations.signing import decrypt_secret
from cityhall.integrations.tests.factories import WebhookDeliveryFactory, WebhookSubscriptionFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def hydro(db):
    return PartnerOrganisationFactory(name="Hydro Rivière")


@pytest.fixture
def manager_page(page, hydro, live_server):
    """The browser tab, signed in as a manager of Hydro Rivière."""
    client = Client()
    client.force_login(PartnerMembershipFactory(organisation=hydro, is_manager=True).user)
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.session.session_key}
    page.context.add_cookies([{**cookie, "url": live_server.url}])
    return page


def test_a_manager_creates_a_webhook_with_the_keyboard_and_reads_its_secret(manager_page, hydro):
    manager_page.goto("/en/partner/webhooks/new/")

    manager_page.get_by_label("Address that receives the events").focus()
    manager_page.keyboard.type("https://hooks.hydro.example/cityhall")
    manager_page.keyboard.press("Tab")
    manager_page.keyboard.press("Space")
    manager_page.get_by_role("button", name="Create the webhook").focus()
    manager_page.keyboard.press("Enter")

    secret = manager_page.locator("#signing-secret")
    assert secret.inner_text().startswith("whsec_")
    assert WebhookSubscription.objects.get(partner=hydro).events == ["service_request.created"]
    assert_no_serious_accessibility_violations(manager_page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_webhook_pages_have_no_serious_accessibility_violation(manager_page, hydro, language):
    subscription = WebhookSubscriptionFactory(partner=hydro)
    delivery = WebhookDeliveryFactory(subscription=subscription, status="failed")
    paths = [
        "partner/webhooks/",
        "partner/webhooks/new/",
        f"partner/webhooks/{subscription.public_id}/",
        f"partner/webhooks/deliveries/{delivery.public_id}/",
        "partner/webhooks/guide/",
        "partner/requests/?status=in_progress",
    ]

    for path in paths:
        manager_page.goto(f"/{language}/{path}")
        assert_no_serious_accessibility_violations(manager_page)


def _open_navigation(tab):
    """Unfold the main navigation where a narrow screen folds it away."""
    toggle = tab.locator("button.nav-toggle")
    if toggle.count() and toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()


def _overflows_horizontally(tab) -> bool:
    # Measured once the page's own stylesheet has arrived: before it, the secret cannot wrap.
    tab.wait_for_load_state()
    return bool(tab.evaluate("document.documentElement.scrollWidth > window.innerWidth"))


@pytest.mark.parametrize("width", [375, 1280])
def test_a_manager_goes_from_the_navigation_to_a_copied_secret_and_the_guide(
    manager_page, hydro, live_server, width
):
    manager_page.set_viewport_size({"width": width, "height": 800})
    manager_page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_server.url
    )
    manager_page.goto("/en/")

    _open_navigation(manager_page)
    manager_page.get_by_role("link", name="Partner area").click()
    manager_page.get_by_role("link", name="Partner webhooks").click()
    assert_no_serious_accessibility_violations(manager_page)
    manager_page.get_by_role("link", name="Add a webhook").click()
    manager_page.get_by_label("Address that receives the events").fill(
        "https://hooks.hydro.example/in"
    )
    manager_page.get_by_label("A request was filed").check()
    manager_page.get_by_role("button", name="Create the webhook").click()

    secret = decrypt_secret(WebhookSubscription.objects.get(partner=hydro).encrypted_secret)
    assert manager_page.locator("#signing-secret").inner_text() == secret
    assert not _overflows_horizontally(manager_page)
    manager_page.get_by_role("button", name="Copy the secret").click()
    assert manager_page.get_by_role("status").filter(has_text="copied").inner_text() == (
        "The secret is copied."
    )
    assert manager_page.evaluate("navigator.clipboard.readText()") == secret
    assert_no_serious_accessibility_violations(manager_page)

    manager_page.get_by_role("link", name="webhooks guide for partners").click()
    expect(manager_page.get_by_role("heading", level=1)).to_have_text("Webhooks guide for partners")
    assert "CityHall-Signature" in manager_page.locator("pre").inner_text()
    assert not _overflows_horizontally(manager_page)
    assert_no_serious_accessibility_violations(manager_page)

    _open_navigation(manager_page)
    manager_page.get_by_role("link", name="Partner requests").click()
    manager_page.get_by_label("Status").select_option("in_progress")
    manager_page.get_by_role("button", name="Filter").click()
    manager_page.wait_for_url("**status=in_progress**")
    assert not _overflows_horizontally(manager_page)
    assert_no_serious_accessibility_violations(manager_page)
