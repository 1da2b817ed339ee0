"""Writing the audit log. Services call `record_audit_event` inside their transaction.

A line is one INSERT with no lock: the sealer chains it within a minute
(`core.audit_chain`, docs/decisions/0019). `data` must carry no personal data (no email,
name, phone or text a citizen wrote): name people and objects by public UUID.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models

from cityhall.core.models import AuditEvent


def record_audit_event(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one audit line. `action` is a stable dotted code such as `accounts.signed_in`.

    The target is recorded by its public UUID when it has one, so the log never carries the
    private integer key into exports.
    """
    target_type = ""
    target_id = ""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(getattr(target, "public_id", None) or target.pk)
    user_model = get_user_model()
    recorded = actor if isinstance(actor, user_model) else None
    return AuditEvent.objects.create(
        actor=recorded,
        recorded_actor_id=recorded.pk if recorded is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        data=data or {},
        ip_address=ip_address,
    )
