"""Sending one delivery: claim it, send it through its channel, record what happened.

A claim is a conditional UPDATE, so two workers that pick up the same delivery never both send
it. A claim lasts CLAIM_SECONDS; a worker that dies mid-send leaves the delivery to
`retry_due_deliveries` once the claim expires. Temporary failures back off exponentially up to
MAX_ATTEMPTS; permanent ones stop at once; a rejected address is suppressed.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import F, Q
from django.utils import timezone

from cityhall.core.errors import DeliveryFailed
from cityhall.notifications.channels import worker_channel
from cityhall.notifications.channels.base import Channel
from cityhall.notifications.errors import RecipientRejected
from cityhall.notifications.models import ChannelKind, Delivery, Suppression

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 60
BACKOFF_MAX_SECONDS = 6 * 3600
CLAIM_SECONDS = 600


def backoff_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1, 2, 4, 8… minutes, at most 6 h."""
    seconds = BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, BACKOFF_MAX_SECONDS))


def _due(now: dt.datetime) -> Q:
    waiting = Q(status=Delivery.Status.QUEUED) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    abandoned = Q(status=Delivery.Status.SENDING, next_attempt_at__lte=now)
    return waiting | abandoned


def claim_delivery(delivery_id: int, *, now: dt.datetime | None = None) -> bool:
    """Take the delivery for this worker if it is due; False if it is not due or already taken."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(_due(now), id=delivery_id).update(
        status=Delivery.Status.SENDING,
        next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS),
        attempts=F("attempts") + 1,
    )
    return claimed == 1


def deliver(delivery_id: int, *, channel: Channel | None = None) -> Delivery | None:
    """Send one delivery now if it is due and unclaimed; returns it as recorded, or None.

    `channel` replaces this process's instance of the delivery's channel (benchmarks, tests).
    Never raises DeliveryFailed: failures are recorded on the row.
    """
    if not claim_delivery(delivery_id):
        return None
    delivery = Delivery.objects.select_related("notification__recipient").get(id=delivery_id)
    if (
        delivery.channel != ChannelKind.IN_APP
        and Suppression.objects.filter(
            channel=delivery.channel, address=delivery.address.lower()
        ).exists()
    ):
        _record_failure(delivery, DeliveryFailed("The address is suppressed", permanent=True))
        return delivery
    try:
        (channel or worker_channel(delivery.channel)).send(delivery)
    except DeliveryFailed as error:
        _record_failure(delivery, error)
    else:
        _record_success(delivery)
    return delivery


def _record_success(delivery: Delivery) -> None:
    now = timezone.now()
    delivery.status = Delivery.Status.SENT
    delivery.sent_at = now
    delivery.next_attempt_at = None
    delivery.last_error = ""
    if delivery.channel == ChannelKind.IN_APP:
        # Placing the message in the inbox is its delivery.
        delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, now
    delivery.save(
        update_fields=[
            "status",
            "sent_at",
            "delivered_at",
            "next_attempt_at",
            "last_error",
            "provider_message_id",
            "updated_at",
        ]
    )


def _record_failure(delivery: Delivery, error: DeliveryFailed) -> None:
    delivery.last_error = str(error)[:2000]
    if isinstance(error, RecipientRejected):
        delivery.status = Delivery.Status.BOUNCED
        suppress_address(
            channel=delivery.channel,
            address=delivery.address,
            reason=Suppression.Reason.HARD_BOUNCE,
        )
    if error.permanent or delivery.attempts >= MAX_ATTEMPTS:
        if delivery.status != Delivery.Status.BOUNCED:
            delivery.status = Delivery.Status.FAILED
        delivery.is_permanent_failure = error.permanent
        delivery.next_attempt_at = None
    else:
        delivery.status = Delivery.Status.QUEUED
        delivery.next_attempt_at = timezone.now() + backoff_delay(delivery.attempts)
    logger.info("Delivery %s failed (%s): %s", delivery.id, delivery.status, delivery.last_error)
    delivery.save(
        update_fields=[
            "status",
            "last_error",
            "is_permanent_failure",
            "next_attempt_at",
            "updated_at",
        ]
    )


def suppress_address(*, channel: str, address: str, reason: str) -> Suppression:
    """Stop all sending to `address` on `channel` (idempotent); the first reason is kept."""
    suppression, _created = Suppression.objects.get_or_create(
        channel=channel, address=address.lower(), defaults={"reason": reason}
    )
    return suppression


def due_delivery_ids(*, now: dt.datetime | None = None, limit: int = 1000) -> list[int]:
    """Deliveries waiting for a retry, the end of quiet hours, or an expired claim."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(_due(now))
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )
