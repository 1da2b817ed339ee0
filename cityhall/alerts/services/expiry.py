"""Published alerts whose time is over leave the feeds and the emergency page."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from cityhall.alerts.caching import public_alerts_changed
from cityhall.alerts.models import Alert
from cityhall.core.audit import record_audit_event


@transaction.atomic
def expire_alerts(*, now: datetime | None = None) -> int:
    """Mark the published alerts whose expiry has passed as expired; returns how many."""
    moment = now or timezone.now()
    due = list(
        Alert.objects.select_for_update(skip_locked=True).filter(
            state=Alert.State.PUBLISHED, expires__lte=moment
        )
    )
    for alert in due:
        alert.state = Alert.State.EXPIRED
        alert.ended_at = moment
        alert.save(update_fields=["state", "ended_at", "updated_at"])
        record_audit_event(actor=None, action="alerts.alert_expired", target=alert)
    if due:
        public_alerts_changed()
    return len(due)
