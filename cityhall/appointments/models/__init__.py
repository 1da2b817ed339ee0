"""The appointments app's models, one module per part: calendars and bookings (booking.py),
visits and counters on duty (visits.py), the waiting list (waiting_list.py)."""

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
from cityhall.appointments.models.visits import (
    OPEN_VISIT_STATUSES,
    CounterSession,
    Visit,
)
from cityhall.appointments.models.waiting_list import OPEN_STATUSES, WaitingListEntry

__all__ = [
    "ACTIVE_STATUSES",
    "CELL_MINUTES",
    "OPEN_STATUSES",
    "OPEN_VISIT_STATUSES",
    "BookedCell",
    "Booking",
    "CalendarFeed",
    "Closure",
    "Counter",
    "CounterService",
    "CounterSession",
    "OpeningHours",
    "PublicHoliday",
    "Visit",
    "WaitingListEntry",
]
