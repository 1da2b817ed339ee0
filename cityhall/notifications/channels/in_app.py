"""The in-app channel: the notification appears on the recipient's "My notifications" page."""

from __future__ import annotations

from django.utils import timezone

from cityhall.notifications.channels.base import Channel
from cityhall.notifications.models import ChannelKind, Delivery, Notification


class InAppChannel(Channel):
    kind = ChannelKind.IN_APP

    def send(self, delivery: Delivery) -> None:
        Notification.objects.filter(id=delivery.notification_id, in_inbox_at__isnull=True).update(
            in_inbox_at=timezone.now()
        )
