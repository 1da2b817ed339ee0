"""The signed webhook event `alert.published`: one delivery per subscription to it, written
with the publication, carrying the alert's JSON form."""

from __future__ import annotations

import json

import pytest

from cityhall.accounts.tests.factories import PartnerOrganisationFactory
from cityhall.alerts.tests.alert_factories import AlertFactory
from cityhall.alerts.webhooks import record_alert_published
from cityhall.integrations.models import WebhookDelivery, WebhookEvent
from cityhall.integrations.tests.factories import WebhookSubscriptionFactory

pytestmark = pytest.mark.django_db
PUBLISHED = WebhookEvent.ALERT_PUBLISHED


def test_each_subscriber_to_the_event_gets_one_delivery_with_the_alert(
    django_capture_on_commit_callbacks,
) -> None:
    listening_partner = WebhookSubscriptionFactory(
        partner=PartnerOrganisationFactory(), events=[PUBLISHED]
    )
    city_system = WebhookSubscriptionFactory(events=[PUBLISHED])
    WebhookSubscriptionFactory(events=[WebhookEvent.SERVICE_REQUEST_CREATED])
    WebhookSubscriptionFactory(
        partner=PartnerOrganisationFactory(is_active=False), events=[PUBLISHED]
    )
    alert = AlertFactory()

    with django_capture_on_commit_callbacks() as sends:
        deliveries = record_alert_published(alert)

    assert {d.subscription for d in deliveries} == {listening_partner, city_system}
    assert len(sends) == 2
    body = json.loads(WebhookDelivery.objects.filter(event=PUBLISHED)[0].body)
    assert body["type"] == "alert.published"
    assert body["data"]["alert"]["identifier"] == alert.identifier
    assert body["data"]["alert"]["texts"]["fr"]["headline"] == "Inondation le long de la rivière"


def test_nothing_is_written_without_subscribers() -> None:
    assert record_alert_published(AlertFactory()) == []
