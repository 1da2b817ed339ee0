"""How long the webhook delivery log is kept: finished deliveries and their attempts.

A delivery's body is the event as sent to a partner or a city system, which may name a
request's details; waiting and sending deliveries are never touched.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from cityhall.integrations.models import WebhookDelivery
from cityhall.privacy.batches import delete_in_batches
from cityhall.privacy.registry import RetentionRule, register_retention_rule

Status = WebhookDelivery.Status


def delete_finished_webhook_deliveries(cutoff: dt.datetime, dry_run: bool) -> int:
    """Delete delivered and failed deliveries made before `cutoff`, with their attempts."""
    finished = WebhookDelivery.objects.filter(
        status__in=[Status.DELIVERED, Status.FAILED], created_at__lt=cutoff
    )
    return delete_in_batches(finished, dry_run=dry_run)


WEBHOOK_DELIVERY_LOG = register_retention_rule(
    RetentionRule(
        code="integrations.webhook_delivery_log",
        description=_(
            "The log of events sent to partners' and city systems' webhooks, and of each "
            "attempt, is deleted once delivered or failed."
        ),
        default_months=1,
        apply=delete_finished_webhook_deliveries,
    )
)
