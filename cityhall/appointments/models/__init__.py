"""The appointments app's models, one module per part: calendars and bookings (booking.py)."""

from cityhall.appointments.models.booking import (
    ACTIVE_STATUSES,
    CELL_MINUTES,
    BookedCell,
    Booking,
    CalendarFeed,
    Closure,
    Counter,
    CounterService,
    OpeningHours,
    PublicHoliday,
)

__all__ = [
    "ACTIVE_STATUSES",
    "CELL_MINUTES",
    "BookedCell",
    "Booking",
    "CalendarFeed",
    "Closure",
    "Counter",
    "CounterService",
    "OpeningHours",
    "PublicHoliday",
]
