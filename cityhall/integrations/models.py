"""Webhooks: who subscribes to which events, and the outbox of deliveries with their attempts.

A `WebhookSubscription` belongs to a partner organisation or to a named city system. Each event
it matches becomes one `WebhookDelivery` (the outbox row, written in the transaction of the
change), whose every try is a `WebhookAttempt` in the delivery log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cityhall.core.models import BaseModel


class WebhookEvent(models.TextChoices):
    SERVICE_REQUEST_CREATED = "service_request.created", _("A request was filed")
    SERVICE_REQUEST_STATUS_CHANGED = (
        "service_request.status_changed",
        _("A request's status changed"),
    )
    SERVICE_REQUEST_ASSIGNED = "service_request.assigned", _("A request was assigned")
    NOTIFICATION_SENT = "notification.sent", _("A notification for one of the partner's members")
    ALERT_PUBLISHED = "alert.published", _("An emergency alert was published")


class WebhookSubscription(BaseModel):
    """A URL that receives signed events, owned by a partner or by a city system.

    A partner's subscription receives events only for requests assigned to it. A city system's
    receives the events of one department, or of the whole city when `department` is empty.
    The signing secret is stored encrypted (see `signing.encrypt_secret`) and shown once.
    """

    class DisabledReason(models.TextChoices):
        BY_STAFF = "by_staff", _("Disabled by staff")
        GONE = "gone", _("The receiver answered 410 Gone")

    partner = models.ForeignKey(
        "accounts.PartnerOrganisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
    )
    city_system = models.CharField(_("city system"), max_length=100, blank=True)
    department = models.ForeignKey(
        "catalog.Department",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
    )
    target_url = models.URLField(_("target URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    encrypted_secret = models.TextField()
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    disabled_reason = models.CharField(
        _("why it was disabled"), max_length=20, choices=DisabledReason, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(partner__isnull=False) & Q(city_system=""))
                | (Q(partner__isnull=True) & ~Q(city_system="")),
                name="webhook_subscription_has_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(partner__isnull=True) | Q(department__isnull=True),
                name="webhook_partner_subscription_has_no_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_name} → {self.target_url}"

    @property
    def owner_name(self) -> str:
        return self.partner.name if self.partner is not None else self.city_system


class WebhookDelivery(BaseModel):
    """One event for one subscription: the exact body, and the state that lets retries survive.

    `public_id` is the `CityHall-Delivery` header; every retry and redelivery sends the same
    body under the same id, so receivers can drop repeats.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent)
    service_request = models.ForeignKey(
        "servicerequests.ServiceRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: The JSON text sent, fixed when the event happened so that retries sign the same bytes.
    body = models.TextField()
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    #: When a waiting delivery is due, or when a claim held by a vanished worker expires.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    #: After this, a failure is final (24 hours after the event or the manual redelivery).
    give_up_at = models.DateTimeField()
    claim_token = models.UUIDField(null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx"),
            models.Index(fields=["subscription", "created_at"], name="webhook_delivery_log_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id} ({self.status})"


class WebhookAttempt(BaseModel):
    """One POST of a delivery: what the receiver answered, how long it took, what went wrong."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="tries")
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    error = models.TextField(_("error"), blank=True)
    #: How many bytes of the answer were read (reading stops at 64 KiB); its body is never kept,
    #: so what a receiver answers cannot be read back through the delivery log.
    response_bytes = models.PositiveIntegerField(_("size of the answer"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id}: {self.status_code or self.error[:40]}"
