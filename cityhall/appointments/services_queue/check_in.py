"""Checking in a booking on arrival: the appointment joins the queue as a visit.

Check-in opens `check_in_opens` before the booked time, on the booking's day. A person who
arrives more than `late_after` past their time is still served, after the appointments due
(rules.py). A booking is checked in once: a second attempt is refused, also under racing
requests (the visit's one-to-one link to the booking).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from cityhall.appointments.models import Booking, Visit
from cityhall.appointments.services_queue.common import audit, queue_moved
from cityhall.appointments.services_queue.errors import (
    AlreadyCheckedIn,
    BookingNotCheckable,
    CheckInNotOpen,
)
from cityhall.appointments.services_queue.rules import local_day, queue_rules
from cityhall.appointments.services_queue.tickets import next_number


def check_in_booking(
    *,
    booking: Booking,
    actor: AbstractBaseUser | None,
    needs_priority: bool = False,
    now: dt.datetime | None = None,
) -> Visit:
    """Check `booking` in now (staff at the counter or the person at a kiosk).

    Raises BookingNotCheckable (not confirmed), CheckInNotOpen (another day, or too early)
    or AlreadyCheckedIn.
    """
    now = now or timezone.now()
    rules = queue_rules()
    try:
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update()
                .select_related("facility", "service")
                .get(pk=booking.pk)
            )
            if Visit.objects.filter(booking=booking).exists():
                raise AlreadyCheckedIn
            if booking.status != Booking.Status.CONFIRMED:
                raise BookingNotCheckable
            day = local_day(now)
            if (
                local_day(booking.starts_at) != day
                or now < booking.starts_at - rules.check_in_opens
            ):
                raise CheckInNotOpen(minutes=int(rules.check_in_opens.total_seconds() // 60))
            visit = Visit.objects.create(
                facility=booking.facility,
                service=booking.service,
                booking=booking,
                day=day,
                number=next_number(facility=booking.facility, day=day, kind=Visit.Kind.APPOINTMENT),
                kind=Visit.Kind.APPOINTMENT,
                needs_priority=needs_priority,
                channel=Visit.Channel.CHECK_IN,
                citizen=booking.citizen,
                contact_email=booking.contact_email,
                language=booking.language,
                joined_at=now,
                due_at=booking.starts_at,
            )
            audit(visit, "checked_in", actor=actor, booking=str(booking.public_id))
            queue_moved(visit)
    except IntegrityError:
        # The same booking was checked in a moment ago by another request.
        raise AlreadyCheckedIn from None
    return visit
