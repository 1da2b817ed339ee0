"""Background jobs of the appointments domain. Each takes ids and re-reads the rows."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from cityhall.appointments.models import Booking
from cityhall.appointments.notices import send_booking_notice as send_notice

logger = logging.getLogger(__name__)


@task(queue_name="notifications")
def send_booking_notice(booking_id: int, event: str) -> bool:
    """Tell the person about one event of their booking; False when the booking is gone."""
    booking = (
        Booking.objects.select_related("service", "facility", "citizen")
        .filter(id=booking_id)
        .first()
    )
    if booking is None:
        return False
    return send_notice(booking, event)


@task()
def send_due_appointment_reminders() -> dict[str, Any]:
    """Send the reminders now due (the day before, two hours before); each is claimed once."""
    from cityhall.appointments.reminders import send_due_reminders

    return send_due_reminders()


@task()
def expire_lapsed_holds() -> int:
    """Free the times held by bookings whose email was not confirmed in time."""
    from cityhall.appointments.services import expire_lapsed_holds as expire

    return expire()
