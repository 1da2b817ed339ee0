"""Notifications: templates, the messages sent from them, their deliveries, and people's choices.

One `Notification` is one event told to one person; it has one `Delivery` per channel. The
in-app inbox is the set of notifications the in-app channel has placed (`in_inbox_at`).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cityhall.core.models import BaseModel

#: `{{ name }}` placeholders; nothing else of Django's template language is allowed.
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
TEMPLATE_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}")


class Topic(models.TextChoices):
    MY_REQUESTS = "my_requests", _("My service requests")
    APPOINTMENTS = "appointments", _("Appointments")
    ALERTS = "alerts", _("Alerts")
    DISTRICT_NEWS = "district_news", _("News from my district")
    CONSULTATIONS = "consultations", _("Public consultations")
    REMINDERS = "reminders", _("Reminders")


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    WEB_PUSH = "web_push", _("Notifications on my devices")
    IN_APP = "in_app", _("My notifications page")
    WEBHOOK = "webhook", _("Webhook")


#: The channels a person chooses between on the preferences page, in the page's column order.
#: Webhooks are set up by partners and city systems, not chosen per topic by a person.
PERSONAL_CHANNELS: tuple[ChannelKind, ...] = (
    ChannelKind.EMAIL,
    ChannelKind.SMS,
    ChannelKind.WEB_PUSH,
    ChannelKind.IN_APP,
)


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    EMERGENCY = "emergency", _("Emergency")


class DigestFrequency(models.TextChoices):
    NONE = "none", _("Send each message when it happens")
    DAILY = "daily", _("One summary a day")
    WEEKLY = "weekly", _("One summary a week")


def placeholders_in(text: str) -> set[str]:
    """The variable names a template text refers to."""
    return set(PLACEHOLDER.findall(text))


class Template(BaseModel):
    """What one event says on one channel in one language; `channel` blank serves every channel.

    Variables are declared; a text that uses an undeclared one, or any template syntax besides
    `{{ name }}`, is rejected by `clean()`.
    """

    code = models.SlugField(_("event code"), max_length=80)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic)
    channel = models.CharField(_("channel"), max_length=10, choices=ChannelKind, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("body"))
    variables = models.JSONField(_("variables"), default=list, blank=True)

    class Meta:
        ordering = ["code", "channel", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "channel", "language"], name="notification_template_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} [{self.channel or '*'}/{self.language}]"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A template that names an unknown variable would fail at every send; refuse it here,
        # whichever path (admin, shell, data migration) writes it.
        self.clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        declared = self.variables if isinstance(self.variables, list) else None
        if declared is None or not all(isinstance(name, str) for name in declared):
            raise ValidationError({"variables": _("Variables must be a list of names.")})
        errors: dict[str, str] = {}
        for field in ("subject", "body"):
            text = getattr(self, field)
            unknown = sorted(placeholders_in(text) - set(declared))
            if unknown:
                errors[field] = str(_("Unknown variables: %(names)s.")) % {
                    "names": ", ".join(unknown)
                }
            elif TEMPLATE_SYNTAX.search(PLACEHOLDER.sub("", text)):
                errors[field] = str(_("Only {{ name }} placeholders are allowed."))
        if errors:
            raise ValidationError(errors)


class Notification(BaseModel):
    """One event told to one person. `event_key` makes telling the same event twice a no-op.

    A notification of a bulk event (bulk.py) may go to someone without an account (an email
    or a phone given to subscribe): it then has no recipient, and its `event_key` alone is
    unique; `unsubscribe_url` is the link its email offers to stop such messages.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    #: The bulk event (an alert's fan-out) the notification is part of; blank for `notify`.
    bulk_event = models.CharField(max_length=100, blank=True)
    unsubscribe_url = models.CharField(max_length=500, blank=True)
    topic = models.CharField(max_length=20, choices=Topic)
    template_code = models.SlugField(max_length=80)
    event_key = models.CharField(max_length=200)
    urgency = models.CharField(max_length=10, choices=Urgency, default=Urgency.NORMAL)
    language = models.CharField(max_length=5)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    #: The page of this site the event is about (a path such as /requests/…/), from
    #: `context["link"]`; the inbox and a push notification open it. Blank: "My notifications".
    link = models.CharField(max_length=500, blank=True)
    #: Files sent with the email (`[{"filename", "content_type", "content"}]`, text content),
    #: e.g. an iCalendar file; other channels leave them out.
    attachments = models.JSONField(default=list, blank=True)
    #: Set by the in-app channel: the notification shows on "My notifications" from then on.
    in_inbox_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"], name="notification_event_once_per_recipient"
            ),
            models.UniqueConstraint(
                fields=["event_key"],
                condition=Q(recipient__isnull=True),
                name="notification_event_once_without_account",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "in_inbox_at"], name="notification_inbox"),
            models.Index(
                fields=["bulk_event"], condition=~Q(bulk_event=""), name="notification_bulk_event"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template_code} → {self.recipient_id} ({self.event_key})"


class Delivery(BaseModel):
    """One notification on one channel, with the state that lets retries survive any backend."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        BOUNCED = "bounced", _("Bounced")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=ChannelKind)
    #: The email address or phone number at the time of sending.
    address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    #: When a queued delivery may be sent (quiet hours, backoff), or when a claim expires.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    #: Which claim took the delivery, so a worker that claims a batch in one UPDATE can load it.
    claim_token = models.UUIDField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True, db_index=True)
    is_permanent_failure = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_channel"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            # A delivery task's followers: the next queued ones of its channel, by id.
            models.Index(fields=["status", "channel", "id"], name="delivery_followers"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} ({self.notification_id})"


class Preference(BaseModel):
    """A person's choice for one topic on one channel; without a row the topic's default holds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    topic = models.CharField(max_length=20, choices=Topic)
    channel = models.CharField(max_length=10, choices=ChannelKind)
    is_enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["topic", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic", "channel"], name="notification_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.topic}/{self.channel}: {self.is_enabled}"


class RecipientSettings(BaseModel):
    """A person's delivery settings: phone for texts, quiet hours (local time), digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    #: E.164, e.g. +15145550123.
    phone_number = models.CharField(_("mobile phone number"), max_length=16, blank=True)
    quiet_hours_start = models.TimeField(_("quiet hours start"), null=True, blank=True)
    quiet_hours_end = models.TimeField(_("quiet hours end"), null=True, blank=True)
    digest_frequency = models.CharField(
        _("summary"), max_length=10, choices=DigestFrequency, default=DigestFrequency.NONE
    )

    class Meta:
        ordering = ["user_id"]
        verbose_name_plural = "recipient settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(quiet_hours_start__isnull=True, quiet_hours_end__isnull=True)
                | Q(quiet_hours_start__isnull=False, quiet_hours_end__isnull=False),
                name="quiet_hours_both_or_neither",
            )
        ]

    def __str__(self) -> str:
        return f"settings of {self.user_id}"


class Suppression(BaseModel):
    """An address nothing is sent to any more: a hard-bounced email or a phone that said STOP."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", _("Hard bounce")
        STOP = "stop", _("Replied STOP")
        PROVIDER = "provider", _("Refused by the provider")

    channel = models.CharField(max_length=10, choices=ChannelKind)
    address = models.CharField(max_length=254)
    reason = models.CharField(max_length=20, choices=Reason)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "address"], name="suppression_unique")
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.address} ({self.reason})"


class DigestItem(BaseModel):
    """A notification waiting for its recipient's next email summary."""

    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, related_name="digest_item"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_items"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    #: Set while a worker sends the summary holding this item (its claim starts at
    #: `updated_at`), so that two workers never both send it.
    claim_token = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["recipient", "sent_at"], name="digest_item_pending")]

    def __str__(self) -> str:
        return f"digest item {self.notification_id}"


class PushSubscription(BaseModel):
    """One browser on one device that agreed to receive web push notifications for a person.

    The fields are what the browser's PushSubscription gives: the push service's endpoint, the
    browser's P-256 key (`p256dh`) and its authentication secret (`auth`), both base64url. A
    push service that answers 404 or 410 has dropped the subscription, and so is the row.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=120)
    auth = models.CharField(max_length=60)
    user_agent = models.CharField(max_length=300, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"push subscription {self.id} of {self.user_id}"
