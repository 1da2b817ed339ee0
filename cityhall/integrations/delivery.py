"""Sending webhook deliveries: claim one, POST it signed, log the attempt, decide what next.

A claim is a conditional UPDATE, so two workers that pick up the same delivery never both send
it; the claim lasts CLAIM_SECONDS, after which a delivery left by a worker that died is due
again. A 2xx answer delivers it. 410 Gone fails it and disables its subscription; an address
that core.outbound refuses (inside the city's network) fails it at once. Any other
answer, or none, is retried with exponential backoff and jitter until `give_up_at` (24 hours
after the event or the manual redelivery); a retry that would fall later is not made.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from cityhall.core.audit import record_audit_event
from cityhall.integrations.audit_actions import IntegrationAuditAction
from cityhall.integrations.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from cityhall.integrations.payloads import event_body
from cityhall.integrations.signing import decrypt_secret
from cityhall.integrations.transport import PostOutcome, post_signed

logger = logging.getLogger(__name__)

RETRY_WINDOW = dt.timedelta(hours=24)
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600
#: Each delay is stretched by a random share up to this, so receivers that failed together
#: are not all retried in the same second.
JITTER_RATIO = 0.2
CLAIM_SECONDS = 120
ENQUEUE_GRACE = dt.timedelta(minutes=5)
HTTP_GONE = 410

Status = WebhookDelivery.Status


def backoff_delay(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failure: 30 s, 1, 2, 4 … min up to 1 h, plus jitter."""
    seconds = min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)
    jitter = secrets.SystemRandom().uniform(0, JITTER_RATIO)
    return dt.timedelta(seconds=seconds * (1 + jitter))


def _due(now: dt.datetime) -> Q:
    waiting = Q(status=Status.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    abandoned = Q(status=Status.SENDING, next_attempt_at__lte=now)
    return waiting | abandoned


def due_webhook_delivery_ids(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Deliveries whose retry time or abandoned claim has come, oldest due first.

    A new delivery (no retry time yet) counts only after ENQUEUE_GRACE: until then its own
    task is presumed queued, and a backlog of workers must not be multiplied by this sweep.
    """
    now = now or timezone.now()
    unsent_too_long = Q(next_attempt_at__isnull=True, updated_at__lte=now - ENQUEUE_GRACE)
    return list(
        WebhookDelivery.objects.filter(_due(now))
        .filter(Q(next_attempt_at__isnull=False) | unsent_too_long)
        .order_by(F("next_attempt_at").asc(nulls_first=True), "id")
        .values_list("id", flat=True)[:limit]
    )


def _claim(delivery_id: int, now: dt.datetime) -> WebhookDelivery | None:
    token = uuid.uuid4()
    claimed = WebhookDelivery.objects.filter(_due(now), id=delivery_id).update(
        status=Status.SENDING,
        claim_token=token,
        next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS),
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("subscription").get(claim_token=token)


def deliver_webhook_now(
    delivery_id: int, *, now: dt.datetime | None = None
) -> WebhookDelivery | None:
    """Send one delivery if it is due and nobody holds it; returns it as recorded, else None.

    A delivery whose subscription was disabled meanwhile fails without being sent.
    """
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    subscription = delivery.subscription
    if not subscription.is_active:
        _finish(delivery, status=Status.FAILED, error="The subscription is disabled.")
        return delivery
    outcome = post_signed(
        url=subscription.target_url,
        secret=decrypt_secret(subscription.encrypted_secret),
        event=delivery.event,
        delivery_id=str(delivery.public_id),
        body=delivery.body.encode(),
    )
    _record(delivery, outcome, now=now)
    return delivery


def _record(delivery: WebhookDelivery, outcome: PostOutcome, *, now: dt.datetime) -> None:
    WebhookAttempt.objects.create(
        delivery=delivery,
        status_code=outcome.status_code,
        duration_ms=outcome.duration_ms,
        error=outcome.error,
        response_bytes=outcome.response_bytes,
    )
    delivery.last_status_code = outcome.status_code
    if outcome.is_success:
        delivery.delivered_at = now
        _finish(delivery, status=Status.DELIVERED)
    elif outcome.refused:
        _finish(delivery, status=Status.FAILED, error=outcome.error)
    elif outcome.status_code == HTTP_GONE:
        _finish(delivery, status=Status.FAILED, error=outcome.error)
        disable_gone_subscription(delivery.subscription)
    else:
        retry_at = now + backoff_delay(delivery.attempts)
        if retry_at > delivery.give_up_at:
            _finish(delivery, status=Status.FAILED, error=outcome.error)
        else:
            _finish(delivery, status=Status.PENDING, error=outcome.error, retry_at=retry_at)
    logger.info("Webhook delivery %s: %s (%s)", delivery.id, delivery.status, outcome.error)


def _finish(
    delivery: WebhookDelivery, *, status: str, error: str = "", retry_at: dt.datetime | None = None
) -> None:
    delivery.status = status
    delivery.last_error = error
    delivery.next_attempt_at = retry_at
    delivery.claim_token = None
    delivery.save(
        update_fields=[
            "status",
            "last_error",
            "last_status_code",
            "next_attempt_at",
            "claim_token",
            "delivered_at",
            "updated_at",
        ]
    )


@transaction.atomic
def disable_gone_subscription(subscription: WebhookSubscription) -> None:
    """Disable a subscription whose receiver answered 410 Gone (audited, with no actor)."""
    # The receiver said the endpoint is gone for good (RFC 9110 §15.5.11); sending more would
    # only fail, so the subscription stops until staff set up a new one.
    updated = WebhookSubscription.objects.filter(id=subscription.id, is_active=True).update(
        is_active=False,
        disabled_at=timezone.now(),
        disabled_reason=WebhookSubscription.DisabledReason.GONE,
        updated_at=timezone.now(),
    )
    if updated:
        subscription.is_active = False
        record_audit_event(
            actor=None,
            action=IntegrationAuditAction.SUBSCRIPTION_DISABLED_BY_RECEIVER,
            target=subscription,
            data={"target_url": subscription.target_url},
        )


def post_event_now(
    *,
    subscription: WebhookSubscription,
    event: str,
    event_id: uuid.UUID,
    occurred_at: dt.datetime,
    data: dict[str, Any],
) -> PostOutcome:
    """POST one event to `subscription` at once, outside the outbox; the caller retries.

    The body, headers and signature are those of outbox deliveries, with `event_id` as the
    `CityHall-Delivery` id. A 410 Gone answer disables the subscription here too.
    """
    body = event_body(delivery_id=event_id, event=event, occurred_at=occurred_at, data=data)
    outcome = post_signed(
        url=subscription.target_url,
        secret=decrypt_secret(subscription.encrypted_secret),
        event=event,
        delivery_id=str(event_id),
        body=body.encode(),
    )
    if outcome.status_code == HTTP_GONE:
        disable_gone_subscription(subscription)
    return outcome
