"""Background jobs of the appointments domain. Each takes ids and re-reads the rows."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from cityhall.appointments.models import Booking, WaitingListEntry
from cityhall.appointments.notices import send_booking_notice as send_notice
from cityhall.appointments.notices import send_waiting_list_notice as send_waiting_notice

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


@task(queue_name="notifications")
def send_waiting_list_notice(entry_id: int, event: str) -> bool:
    """Tell a person on the waiting list about an offered time, or ask a guest to confirm."""
    entry = (
        WaitingListEntry.objects.select_related(
            "service",
            "facility",
            "citizen",
            "offered_booking__service",
            "offered_booking__facility",
        )
        .filter(id=entry_id)
        .first()
    )
    if entry is None:
        return False
    return send_waiting_notice(entry, event)


@task()
def send_due_appointment_reminders() -> dict[str, Any]:
    """Send the reminders now due (the day before, two hours before); each is claimed once."""
    from cityhall.appointments.reminders import send_due_reminders

    return send_due_reminders()


@task()
def offer_freed_times(facility_id: int, day: str) -> int:
    """Offer the free times of a facility's day (ISO date) to its waiting list, first come first."""
    import datetime as dt

    from cityhall.appointments.waiting_list import offer_freed_times as offer

    return offer(facility_id=facility_id, day=dt.date.fromisoformat(day))


@task()
def expire_lapsed_holds() -> int:
    """Free the times held by bookings whose email was not confirmed in time."""
    from cityhall.appointments.services import expire_lapsed_holds as expire

    return expire()
