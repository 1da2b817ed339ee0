"""How long the notifications domain keeps messages: delivery logs, then the messages.

A delivery is a copy of a message as sent on one channel, with the email address or phone
number it went to; finished ones are deleted after the delivery-log rule's months. The
notification itself (what "My notifications" shows) goes after its own rule's months, with
whatever deliveries and summary items it still has.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from cityhall.notifications.models import Delivery, Notification
from cityhall.privacy.batches import delete_in_batches
from cityhall.privacy.registry import RetentionRule, register_retention_rule

FINISHED = (
    Delivery.Status.SENT,
    Delivery.Status.DELIVERED,
    Delivery.Status.BOUNCED,
    Delivery.Status.FAILED,
)


def delete_old_deliveries(cutoff: dt.datetime, dry_run: bool) -> int:
    """Delete finished deliveries made before `cutoff`; returns how many."""
    old = Delivery.objects.filter(status__in=FINISHED, created_at__lt=cutoff)
    return delete_in_batches(old, dry_run=dry_run)


def delete_old_notifications(cutoff: dt.datetime, dry_run: bool) -> int:
    """Delete notifications made before `cutoff`, with their deliveries; returns how many."""
    return delete_in_batches(Notification.objects.filter(created_at__lt=cutoff), dry_run=dry_run)


DELIVERY_LOG = register_retention_rule(
    RetentionRule(
        code="notifications.delivery_log",
        description=_(
            "The log of messages sent by email, text message and push notification, with the "
            "address or number each went to, is deleted."
        ),
        default_months=12,
        apply=delete_old_deliveries,
    )
)
NOTIFICATIONS = register_retention_rule(
    RetentionRule(
        code="notifications.notifications",
        description=_("Messages on your notifications page, and their summaries, are deleted."),
        default_months=24,
        apply=delete_old_notifications,
    )
)
