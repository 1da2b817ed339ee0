"""The audit-log action codes the integrations domain writes (stable: reports filter on them)."""

from __future__ import annotations

from enum import StrEnum


class IntegrationAuditAction(StrEnum):
    SUBSCRIPTION_CREATED = "integrations.subscription_created"
    SUBSCRIPTION_DISABLED = "integrations.subscription_disabled"
    SUBSCRIPTION_DISABLED_BY_RECEIVER = "integrations.subscription_disabled_by_receiver"
    SECRET_ROTATED = "integrations.secret_rotated"  # noqa: S105 (an action code, not a secret)
    DELIVERY_REDELIVERED = "integrations.delivery_redelivered"
