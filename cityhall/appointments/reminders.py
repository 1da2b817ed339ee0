"""Reminders of confirmed appointments: the day before and two hours before.

Each reminder is claimed with a conditional UPDATE of its mark before it is sent, so racing
schedulers send it once. Sending is best effort: an error is logged and the booking is left as
it is (a failed reminder never cancels an appointment). A booking confirmed after a reminder's
moment gets no such reminder (its confirmation has just told the person).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import F
from django.utils import timezone

from cityhall.appointments.models import Booking
from cityhall.appointments.notices import send_booking_notice

logger = logging.getLogger(__name__)

#: (event, mark field, lead time before the appointment, nothing sent closer than this)
REMINDERS = (
    (
        "reminder_day_before",
        "day_before_reminder_at",
        dt.timedelta(hours=24),
        dt.timedelta(hours=2),
    ),
    ("reminder_two_hours", "two_hours_reminder_at", dt.timedelta(hours=2), dt.timedelta(0)),
)
BATCH = 500


def send_due_reminders(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send every reminder due at `now`; returns how many of each kind were claimed."""
    now = now or timezone.now()
    sent: dict[str, int] = {}
    for event, mark, lead, closest in REMINDERS:
        due = Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            starts_at__gt=now + closest,
            starts_at__lte=now + lead,
            confirmed_at__lte=F("starts_at") - lead,
            **{f"{mark}__isnull": True},
        ).values_list("id", flat=True)[:BATCH]
        sent[event] = sum(_send_once(booking_id, event, mark, now) for booking_id in list(due))
    return sent


def _send_once(booking_id: int, event: str, mark: str, now: dt.datetime) -> int:
    claimed = Booking.objects.filter(id=booking_id, **{f"{mark}__isnull": True}).update(
        **{mark: now}
    )
    if not claimed:
        return 0  # another scheduler took it
    booking = Booking.objects.select_related("service", "facility", "citizen").get(id=booking_id)
    try:
        send_booking_notice(booking, event)
    except Exception:
        # Logged and left: the appointment stands whatever happened to its reminder.
        logger.exception("reminder %s of booking %s failed", event, booking.public_id)
    return 1
