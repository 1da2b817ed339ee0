"""A partner's managers run their own webhooks in the partner area; nobody else reaches them."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cityhall.accounts.tests.factories import PartnerMembershipFactory, PartnerOrganisationFactory
from cityhall.core.models import AuditEvent
from cityhall.integrations.delivery import deliver_webhook_now
from cityhall.integrations.models import WebhookDelivery, WebhookSubscription
from cityhall.integrations.signing import decrypt_secret
from cityhall.integrations.tests.factories import (
    SECRET,
    WebhookDeliveryFactory,
    WebhookSubscriptionFactory,
)
from cityhall.integrations.tests.receiver import webhook_receiver

__all__ = ["webhook_receiver"]

BASE = "/en/partner/webhooks/"


@pytest.fixture
def hydro(db):
    return PartnerOrganisationFactory(name="Hydro Rivière")


@pytest.fixture
def manager(hydro):
    return PartnerMembershipFactory(organisation=hydro, is_manager=True).user


@pytest.fixture
def browser(manager):
    client = Client()
    client.force_login(manager)
    return client


@pytest.fixture
def subscription(hydro):
    return WebhookSubscriptionFactory(partner=hydro)


def test_a_manager_adds_a_webhook_and_sees_its_secret_once(browser, hydro, manager):
    form = {
        "partner": hydro.public_id,
        "target_url": "https://hooks.hydro.example/cityhall",
        "events": ["service_request.status_changed", "notification.sent"],
    }

    response = browser.post(f"{BASE}new/", form)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    subscription = WebhookSubscription.objects.get(partner=hydro)
    assert subscription.created_by == manager
    assert decrypt_secret(subscription.encrypted_secret) in response.content.decode()
    detail = browser.get(f"{BASE}{subscription.public_id}/").content.decode()
    assert "whsec_" not in detail


def test_the_new_webhook_cannot_name_another_organisation(browser):
    other = PartnerOrganisationFactory()

    response = browser.post(
        f"{BASE}new/",
        {
            "partner": other.public_id,
            "target_url": "https://hooks.example.org/x",
            "events": ["service_request.assigned"],
        },
    )

    assert response.status_code == 200
    assert "partner" in response.context["form"].errors
    assert not WebhookSubscription.objects.exists()


def test_a_member_who_cannot_manage_the_organisation_gets_404(hydro, subscription):
    member = PartnerMembershipFactory(organisation=hydro, is_manager=False).user
    client = Client()
    client.force_login(member)

    responses = [client.get(BASE), client.get(f"{BASE}{subscription.public_id}/")]

    assert [response.status_code for response in responses] == [404, 404]


def test_another_organisations_webhook_and_deliveries_are_404(browser):
    theirs = WebhookSubscriptionFactory(partner=PartnerOrganisationFactory())
    delivery = WebhookDeliveryFactory(subscription=theirs)

    responses = [
        browser.get(f"{BASE}{theirs.public_id}/"),
        browser.post(f"{BASE}{theirs.public_id}/rotate/"),
        browser.post(f"{BASE}{theirs.public_id}/disable/"),
        browser.get(f"{BASE}deliveries/{delivery.public_id}/"),
        browser.post(f"{BASE}deliveries/{delivery.public_id}/redeliver/"),
    ]

    assert [response.status_code for response in responses] == [404] * 5
    theirs.refresh_from_db()
    assert theirs.is_active
    assert decrypt_secret(theirs.encrypted_secret) == SECRET


def test_rotating_shows_a_new_secret_that_replaces_the_old_one(browser, subscription, manager):
    response = browser.post(f"{BASE}{subscription.public_id}/rotate/")

    subscription.refresh_from_db()
    secret = decrypt_secret(subscription.encrypted_secret)
    assert secret != SECRET
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="integrations.secret_rotated")
    assert (event.actor, event.target_id) == (manager, str(subscription.public_id))
    assert secret not in str(event.data)


def test_disabling_stops_the_webhook_and_says_not_by_staff(browser, subscription):
    response = browser.post(f"{BASE}{subscription.public_id}/disable/", follow=True)

    subscription.refresh_from_db()
    assert not subscription.is_active
    assert subscription.disabled_reason == ""
    assert "Make a new signing secret" not in response.content.decode()


def test_the_delivery_log_shows_this_webhooks_deliveries_by_status(browser, subscription):
    failed = WebhookDeliveryFactory(subscription=subscription, status="failed")
    WebhookDeliveryFactory(subscription=subscription, status="delivered")
    WebhookDeliveryFactory(subscription=WebhookSubscriptionFactory())

    response = browser.get(f"{BASE}{subscription.public_id}/", {"status": "failed"})

    assert [delivery.pk for delivery in response.context["page"]] == [failed.pk]


def test_a_manager_sends_a_failed_delivery_again(browser, subscription, manager):
    failed = WebhookDeliveryFactory(subscription=subscription, status="failed")

    response = browser.post(f"{BASE}deliveries/{failed.public_id}/redeliver/")

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == WebhookDelivery.Status.PENDING
    event = AuditEvent.objects.get(action="integrations.delivery_redelivered")
    assert event.actor == manager


def test_a_delivery_page_shows_the_body_and_attempts(browser, subscription):
    delivery = WebhookDeliveryFactory(subscription=subscription, body='{"type": "ping"}')

    response = browser.get(f"{BASE}deliveries/{delivery.public_id}/")

    assert response.status_code == 200
    assert "ping" in response.content.decode()


def test_a_delivery_page_shows_the_status_and_size_of_the_answer_never_its_body(
    browser, hydro, webhook_receiver
):
    subscription = WebhookSubscriptionFactory(partner=hydro, target_url=webhook_receiver.url)
    delivery = WebhookDeliveryFactory(subscription=subscription)
    deliver_webhook_now(delivery.id)

    page = browser.get(f"{BASE}deliveries/{delivery.public_id}/").content.decode()

    assert "<td>200</td>" in page
    assert "10\xa0bytes" in page
    assert "answer 200" not in page


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9", "https://127.1/", "https://169.254.169.254/", "https://10.0.0.5/"]
)
def test_the_form_refuses_an_address_inside_the_network(browser, hydro, settings, url):
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    form = {
        "partner": hydro.public_id,
        "target_url": url,
        "events": ["service_request.status_changed"],
    }

    response = browser.post(f"{BASE}new/", form)

    assert response.status_code == 200
    assert 'id="id_target_url_error"' in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_the_secret_is_shown_whole_with_a_copy_button(browser, hydro):
    form = {"partner": hydro.public_id, "target_url": "https://hooks.hydro.example/in"}
    form["events"] = ["service_request.created"]

    page = browser.post(f"{BASE}new/", form).content.decode()

    secret = decrypt_secret(WebhookSubscription.objects.get().encrypted_secret)
    assert f'<code id="signing-secret" class="signing-secret">{secret}</code>' in page
    assert 'data-copy-from="signing-secret"' in page
    assert "portal/copy-text" in page


def test_the_webhook_pages_link_to_the_guide_which_is_the_partners_guide(browser, hydro):
    guide = f"{BASE}guide/"
    form = {"partner": hydro.public_id, "target_url": "https://hooks.hydro.example/in"}
    form["events"] = ["service_request.created"]
    pages = [
        browser.get(BASE).content.decode(),
        browser.get(f"{BASE}new/").content.decode(),
        browser.post(f"{BASE}new/", form).content.decode(),
    ]

    response = browser.get(guide)

    assert all(f'<a href="{guide}">webhooks guide for partners</a>' in page for page in pages)
    assert response.status_code == 200
    text = response.content.decode()
    assert "CityHall-Signature" in text
    assert "def verify_cityhall_signature(" in text


def test_the_guide_is_for_the_partner_area_only(client, citizen):
    client.force_login(citizen)

    assert client.get(f"{BASE}guide/").status_code == 404


def test_the_form_says_the_address_must_be_public(browser):
    page = browser.get(f"{BASE}new/").content.decode()

    assert "It must start with https:// and lead to the public internet" in page


def test_the_work_queue_links_to_the_webhooks_for_managers_only(browser, hydro):
    member = PartnerMembershipFactory(organisation=hydro, is_manager=False).user
    plain = Client()
    plain.force_login(member)

    for_manager = browser.get("/en/partner/requests/").content.decode()
    for_member = plain.get("/en/partner/requests/").content.decode()

    assert f'href="{BASE}"' in for_manager
    assert f'href="{BASE}"' not in for_member


def test_the_webhook_form_names_the_organisation_by_its_public_id(browser, hydro):
    html = browser.get(f"{BASE}new/").content.decode()

    field = html.split('name="partner"')[1].split("</select>")[0]
    values = [value for value in re.findall(r'<option value="([^"]*)"', field) if value]
    assert values == [str(hydro.public_id)]
