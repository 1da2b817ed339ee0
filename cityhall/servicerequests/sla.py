"""When a request is due: the service's SLA counted in calendar hours or in business hours.

Business hours are Monday to Friday, 8:30 to 16:30, in the city's time zone
(`settings.TIME_ZONE`). Public holidays are not known to the catalog yet, so they count as
working days.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from cityhall.catalog.models import Service

OPENING = time(8, 30)
CLOSING = time(16, 30)
SATURDAY = 5


def due_at(*, service: Service, submitted_at: datetime) -> datetime:
    """The moment a request for `service` filed at `submitted_at` (aware) should be resolved."""
    hours = timedelta(hours=service.sla_hours)
    if service.sla_calendar == Service.SlaCalendar.CALENDAR:
        # Added in UTC so that a daylight-saving change does not stretch or shrink the delay.
        return submitted_at.astimezone(UTC) + hours
    return add_business_hours(submitted_at, hours)


def add_business_hours(start: datetime, duration: timedelta) -> datetime:
    """`start` (aware) moved forward by `duration` counted in business hours only.

    A start outside business hours counts from the next opening. The result is in the city's
    time zone.
    """
    zone = ZoneInfo(settings.TIME_ZONE)
    current = _next_working_moment(start.astimezone(zone), zone)
    remaining = duration
    while True:
        closing = datetime.combine(current.date(), CLOSING, tzinfo=zone)
        available = closing - current
        if remaining <= available:
            return current + remaining
        remaining -= available
        current = _next_working_moment(closing + timedelta(minutes=1), zone)


def _next_working_moment(moment: datetime, zone: ZoneInfo) -> datetime:
    """`moment` itself during business hours, else the next opening time."""
    day = moment.date()
    if moment.time() >= CLOSING:
        day += timedelta(days=1)
    elif day.weekday() < SATURDAY and moment.time() >= OPENING:
        return moment
    while day.weekday() >= SATURDAY:
        day += timedelta(days=1)
    opening = datetime.combine(day, OPENING, tzinfo=zone)
    return max(opening, moment)
