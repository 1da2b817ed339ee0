"""A partner's manager sets up a webhook in a real browser, keyboard only, and every page of
the partner area's webhooks passes axe in both languages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from cityhall.accounts.tests.factories import PartnerMembershipFactory, PartnerOrganisationFactory
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.integrations.models import WebhookSubscription
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

    secret = manager_page.get_by_label("Signing secret")
    assert secret.input_value().startswith("whsec_")
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
    ]

    for path in paths:
        manager_page.goto(f"/{language}/{path}")
        assert_no_serious_accessibility_violations(manager_page)
