"""The webhook channel: a partner member's notification, posted as a signed `notification.sent`
event to the address their organisation subscribed (integrations' signing and transport).

The receiver is the oldest active `notification.sent` subscription of an organisation the
recipient acts for; without one the delivery fails for good. 2xx is sent. 410 Gone disables the
subscription and, like other 4xx answers but 408 and 429, is permanent; the rest is retried.
"""

from __future__ import annotations

from cityhall.core.errors import DeliveryFailed
from cityhall.integrations.delivery import post_event_now
from cityhall.integrations.models import WebhookEvent
from cityhall.integrations.selectors import notification_subscription_for
from cityhall.notifications.channels.base import Channel
from cityhall.notifications.models import ChannelKind, Delivery

#: Client errors that say "try later" rather than "this will never work".
RETRYABLE_CLIENT_ERRORS = frozenset({408, 429})


class WebhookChannel(Channel):
    kind = ChannelKind.WEBHOOK

    def send(self, delivery: Delivery) -> None:
        notification = delivery.notification
        recipient = notification.recipient
        subscription = notification_subscription_for(recipient) if recipient else None
        if subscription is None:
            raise DeliveryFailed("No webhook receives this person's notifications.", permanent=True)
        outcome = post_event_now(
            subscription=subscription,
            event=WebhookEvent.NOTIFICATION_SENT,
            event_id=delivery.public_id,
            occurred_at=notification.created_at,
            data={
                "notification": {
                    "id": str(notification.public_id),
                    "topic": notification.topic,
                    "language": notification.language,
                    "subject": notification.subject,
                    "body": notification.body,
                    "created_at": notification.created_at.isoformat(),
                }
            },
        )
        if outcome.is_success:
            return
        if outcome.refused:  # the address leads inside the city's network: no retry can help
            raise DeliveryFailed(outcome.error, permanent=True)
        code = outcome.status_code
        is_permanent = code is not None and 400 <= code < 500
        raise DeliveryFailed(
            outcome.error or f"HTTP {code}",
            permanent=is_permanent and code not in RETRYABLE_CLIENT_ERRORS,
        )
