"""Factories and helpers for notifications tests."""

from __future__ import annotations

import factory

from cityhall.notifications.models import ChannelKind, RecipientSettings, Template, Topic


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


def sms_template(**kwargs):
    """A short SMS version of the default template."""
    defaults = {"channel": ChannelKind.SMS, "subject": "", "body": "Request {{ number }} closed."}
    defaults.update(kwargs)
    return TemplateFactory(**defaults)
