"""How long accounts that were never used, and ended sessions, are kept.

An active account whose owner never confirmed the address nor signed in, holds no staff role and
belongs to no partner is deleted after the rule's months (a sign-up abandoned, or made with
someone else's address). A sign-in session past its expiry is deleted after its own rule's
months; Django never deletes them by itself.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.models import Session
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.privacy.batches import delete_in_batches
from cityhall.privacy.registry import RetentionRule, register_retention_rule


def delete_unused_unverified_accounts(cutoff: dt.datetime, dry_run: bool) -> int:
    """Delete accounts made before `cutoff`, never verified nor used; returns how many."""
    unused = User.objects.filter(
        created_at__lt=cutoff,
        # A deactivated or erased account is kept on purpose; only live, unused ones go.
        is_active=True,
        email_verified_at__isnull=True,
        last_login__isnull=True,
        is_staff=False,
        is_superuser=False,
        staff_roles__isnull=True,
        partner_memberships__isnull=True,
        service_requests__isnull=True,
    )
    return delete_in_batches(unused, dry_run=dry_run)


def delete_expired_sessions(cutoff: dt.datetime, dry_run: bool) -> int:
    """Delete sign-in sessions that expired before `cutoff`; returns how many."""
    return delete_in_batches(Session.objects.filter(expire_date__lt=cutoff), dry_run=dry_run)


UNVERIFIED_ACCOUNTS = register_retention_rule(
    RetentionRule(
        code="accounts.unverified_accounts",
        description=_(
            "Accounts whose email address was never confirmed and that were never used are deleted."
        ),
        default_months=1,
        apply=delete_unused_unverified_accounts,
    )
)
EXPIRED_SESSIONS = register_retention_rule(
    RetentionRule(
        code="accounts.expired_sessions",
        description=_("Sign-in sessions that have expired are deleted."),
        default_months=1,
        apply=delete_expired_sessions,
    )
)
