"""Factories for webhook subscriptions and deliveries. Every subscription's secret is SECRET."""

from __future__ import annotations

import datetime as dt
import uuid

import factory
from django.utils import timezone

from cityhall.integrations.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from cityhall.integrations.signing import encrypt_secret

SECRET = "whsec_test-secret"  # a test fixture's value


class WebhookSubscriptionFactory(factory.django.DjangoModelFactory):
    """A city system's subscription to every request event; pass `partner=` for a partner's."""

    class Meta:
        model = WebhookSubscription

    city_system = factory.Maybe("partner", yes_declaration="", no_declaration="Asset management")
    target_url = "https://hooks.example.org/cityhall"
    events = factory.LazyFunction(
        lambda: [
            WebhookEvent.SERVICE_REQUEST_CREATED,
            WebhookEvent.SERVICE_REQUEST_STATUS_CHANGED,
            WebhookEvent.SERVICE_REQUEST_ASSIGNED,
        ]
    )
    encrypted_secret = factory.LazyFunction(lambda: encrypt_secret(SECRET))


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    subscription = factory.SubFactory(WebhookSubscriptionFactory)
    event = WebhookEvent.SERVICE_REQUEST_CREATED
    public_id = factory.LazyFunction(uuid.uuid4)
    body = factory.LazyAttribute(lambda delivery: f'{{"id":"{delivery.public_id}"}}')
    give_up_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=24))
