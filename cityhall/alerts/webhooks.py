"""The signed webhook event `alert.published`: every published alert reaches the partners'
and city systems' subscriptions to it, through the integrations outbox (signed, retried,
logged like every webhook). Alerts are public, so every active subscriber to the event hears
of every alert; the body carries the alert's JSON form (feeds.alert_json), no personal data.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from cityhall.alerts.feeds import alert_json
from cityhall.alerts.models import Alert
from cityhall.core.queueing import enqueue_after_commit
from cityhall.integrations.delivery import RETRY_WINDOW
from cityhall.integrations.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from cityhall.integrations.payloads import event_body
from cityhall.integrations.tasks import deliver_webhook


def alert_subscriptions() -> list[WebhookSubscription]:
    """The active subscriptions to `alert.published`, of city systems and active partners."""
    audience = Q(partner__isnull=True) | Q(partner__is_active=True)
    candidates = WebhookSubscription.objects.filter(audience, is_active=True).order_by("id")
    return [s for s in candidates if WebhookEvent.ALERT_PUBLISHED in s.events]


def record_alert_published(alert: Alert) -> list[WebhookDelivery]:
    """Write one outbox row per subscription and send them after commit. Call it in the
    transaction that publishes the alert."""
    subscriptions = alert_subscriptions()
    if not subscriptions:
        return []
    occurred_at = alert.published_at or timezone.now()
    data = {"alert": alert_json(alert)}
    deliveries = []
    for subscription in subscriptions:
        delivery = WebhookDelivery(
            subscription=subscription,
            event=WebhookEvent.ALERT_PUBLISHED,
            give_up_at=occurred_at + RETRY_WINDOW,
        )
        delivery.body = event_body(
            delivery_id=delivery.public_id,
            event=WebhookEvent.ALERT_PUBLISHED,
            occurred_at=occurred_at,
            data=data,
        )
        delivery.save()
        enqueue_after_commit(deliver_webhook, delivery.id)
        deliveries.append(delivery)
    return deliveries
