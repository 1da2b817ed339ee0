"""How long subscriptions to alerts that were never confirmed are kept.

A subscription made without an account holds an email or phone number and waits for its
confirmation link, which lives `subscription_links.CONFIRM_DAYS`; nothing is ever sent to it
before. Once its link has long expired it can never be confirmed, and it is deleted.
Confirmed subscriptions stay until the person stops them (every alert carries a stop link).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from cityhall.alerts.models import AlertSubscriber
from cityhall.privacy.batches import delete_in_batches
from cityhall.privacy.registry import RetentionRule, register_retention_rule


def delete_unconfirmed_subscriptions(cutoff: dt.datetime, dry_run: bool) -> int:
    """Delete subscriptions never confirmed and made before `cutoff`."""
    return delete_in_batches(
        AlertSubscriber.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff),
        dry_run=dry_run,
    )


UNCONFIRMED_SUBSCRIPTIONS = register_retention_rule(
    RetentionRule(
        code="alerts.unconfirmed_subscriptions",
        description=_(
            "A subscription to emergency alerts made with an email or phone number and never "
            "confirmed is deleted, with its address and contact."
        ),
        default_months=1,
        apply=delete_unconfirmed_subscriptions,
    )
)
