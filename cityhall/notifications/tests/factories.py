"""Factories and helpers for notifications tests."""

from __future__ import annotations

import os

import factory
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone

from cityhall.notifications.models import (
    ChannelKind,
    Delivery,
    Notification,
    PushSubscription,
    RecipientSettings,
    Template,
    Topic,
)
from cityhall.notifications.vapid import b64url


class TemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Template

    code = "request-closed"
    topic = Topic.MY_REQUESTS
    channel = ""
    language = "en"
    subject = "Your request {{ number }} is closed"
    body = "Hello {{ name }}, request {{ number }} is closed."
    variables = factory.LazyFunction(lambda: ["name", "number"])


class RecipientSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecipientSettings

    phone_number = "+15145550123"


def queued_email(user, *, subject="Subject", body="Body", language="en", address=None):
    """An email delivery recorded as `notify` records it, its task not run."""
    notification = Notification.objects.create(
        recipient=user,
        topic=Topic.MY_REQUESTS,
        template_code="request-closed",
        event_key=f"event-{Notification.objects.count()}",
        language=language,
        subject=subject,
        body=body,
    )
    return Delivery.objects.create(
        notification=notification,
        channel=ChannelKind.EMAIL,
        address=user.email if address is None else address,
        subject=subject,
        body=body,
    )


def sms_template(**kwargs):
    """A short SMS version of the default template."""
    defaults = {"channel": ChannelKind.SMS, "subject": "", "body": "Request {{ number }} closed."}
    defaults.update(kwargs)
    return TemplateFactory(**defaults)


class BrowserPushKeys:
    """What a browser makes when it subscribes: a P-256 key pair and a 16-byte auth secret."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = os.urandom(16)
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.p256dh = b64url(point)
        self.auth = b64url(self.auth_secret)


class PushSubscriptionFactory(factory.django.DjangoModelFactory):
    """A subscribed browser; pass `keys=BrowserPushKeys()` to be able to decrypt what it gets."""

    class Meta:
        model = PushSubscription
        exclude = ["keys"]

    keys = factory.LazyFunction(BrowserPushKeys)
    endpoint = factory.Sequence(lambda number: f"https://push.example.net/send/{number}")
    p256dh = factory.LazyAttribute(lambda subscription: subscription.keys.p256dh)
    auth = factory.LazyAttribute(lambda subscription: subscription.keys.auth)
    user_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"


def inbox_notification(user, subject: str, *, read: bool = False, **fields) -> Notification:
    """A notification already on `user`'s "My notifications" page, read or not."""
    now = timezone.now()
    values = {
        "recipient": user,
        "topic": Topic.MY_REQUESTS,
        "template_code": "x",
        "event_key": subject,
        "language": "en",
        "subject": subject,
        "body": f"About {subject}.",
        "in_inbox_at": now,
        "read_at": now if read else None,
    }
    return Notification.objects.create(**{**values, **fields})
