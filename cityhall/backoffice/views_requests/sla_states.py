"""Where a request stands against its SLA: on time, due soon or overdue.

"Due soon" starts once 80% of the time between submission and the due date has elapsed.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

#: Share of the SLA window after which a request counts as due soon.
DUE_SOON_SHARE = 0.8


class SlaState(TextChoices):
    ON_TIME = "on_time", _("On time")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


def sla_state(*, created_at: datetime, due_at: datetime | None, now: datetime) -> str | None:
    """The SLA state of a request submitted at `created_at`; None when it has no due date."""
    if due_at is None:
        return None
    if now >= due_at:
        return SlaState.OVERDUE
    window = (due_at - created_at).total_seconds()
    elapsed = (now - created_at).total_seconds()
    if window <= 0 or elapsed >= DUE_SOON_SHARE * window:
        return SlaState.DUE_SOON
    return SlaState.ON_TIME
