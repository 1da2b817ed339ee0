"""How long the audit log keeps the network address of each line.

The lines themselves are kept (they are the city's proof of who did what, and carry no
personal data besides the address); the address is cleared after the rule's months. The hash
chain leaves `ip_address` out for exactly this (core.audit_chain).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from cityhall.core.models import AuditEvent
from cityhall.privacy.batches import update_in_batches
from cityhall.privacy.registry import RetentionRule, register_retention_rule


def clear_old_audit_addresses(cutoff: dt.datetime, dry_run: bool) -> int:
    """Clear the network address of audit lines written before `cutoff`; returns how many."""
    old = AuditEvent.objects.filter(created_at__lt=cutoff, ip_address__isnull=False)
    return update_in_batches(old, dry_run=dry_run, ip_address=None)


AUDIT_IP_ADDRESSES = register_retention_rule(
    RetentionRule(
        code="core.audit_ip_addresses",
        description=_(
            "The network (IP) address recorded with each line of the audit log is cleared; "
            "the line itself is kept."
        ),
        default_months=12,
        apply=clear_old_audit_addresses,
    )
)
