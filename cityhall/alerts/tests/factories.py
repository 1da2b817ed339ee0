"""Factories for the alerts app."""

from __future__ import annotations

import factory
from django.utils import timezone

from cityhall.alerts.models import AlertSubscriber
from cityhall.alerts.targeting import subscriber_cell


class AlertSubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscription by email without an account; pass `latitude` and `longitude`."""

    class Meta:
        model = AlertSubscriber

    kind = AlertSubscriber.Kind.ADDRESS
    channel = AlertSubscriber.Channel.EMAIL
    email = factory.Sequence(lambda n: f"neighbour{n}@example.org")
    language = "en"
    latitude = 45.51
    longitude = -73.59
    h3_cell = factory.LazyAttribute(lambda o: subscriber_cell(o.latitude, o.longitude))
    confirmed_at = factory.LazyFunction(timezone.now)
