"""Counter staff's view of bookings: the facilities with counters, and each one's coming days.

Only what the counter needs to plan the day is shown (time, counter, service, status and the
booking's short reference); the person's details come with the check-in, not in this list.
"""

from __future__ import annotations

import datetime as dt
import uuid
from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cityhall.accounts.permissions import Capability
from cityhall.appointments.selectors import bookings_for_facility, facilities_with_counters
from cityhall.appointments.slots import city_zone
from cityhall.backoffice.access import staff_member_required
from cityhall.core.errors import NotFound

#: How many days, today included, a facility's page lists.
DAYS_LISTED = 7


@staff_member_required(capability=Capability.HANDLE_APPOINTMENTS)
def facility_list(request: HttpRequest) -> HttpResponse:
    """The facilities that have counters, with their bookings today and in the coming days."""
    return render(
        request,
        "backoffice/appointments/facilities.html",
        {"facilities": facilities_with_counters(days=DAYS_LISTED)},
    )


@staff_member_required(capability=Capability.HANDLE_APPOINTMENTS)
def facility_bookings(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A facility's active bookings from today on, one table per day."""
    facility = next(
        (
            found
            for found in facilities_with_counters(days=DAYS_LISTED)
            if found.public_id == public_id
        ),
        None,
    )
    if facility is None:
        raise NotFound
    today = timezone.now().astimezone(city_zone()).date()
    first = dt.datetime.combine(today, dt.time.min, tzinfo=city_zone())
    last = dt.datetime.combine(
        today + dt.timedelta(days=DAYS_LISTED), dt.time.min, tzinfo=city_zone()
    )
    bookings = bookings_for_facility(facility, first=first, last=last)
    days = [
        (day, list(day_bookings))
        for day, day_bookings in groupby(
            bookings, key=lambda booking: booking.starts_at.astimezone(city_zone()).date()
        )
    ]
    return render(
        request,
        "backoffice/appointments/facility.html",
        {"facility": facility, "days": days, "today": today},
    )
