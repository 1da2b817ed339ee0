"""The city's public holidays: offices are closed, and (later) the SLA clock stops.

The calendar is the `PublicHoliday` table, kept by the city (Django admin, the demo city).
`servicerequests.sla` may call these functions to skip holidays in business hours.
"""

from __future__ import annotations

import datetime as dt

from cityhall.appointments.models import PublicHoliday


def is_public_holiday(day: dt.date) -> bool:
    """Whether the city's offices are closed on `day` for a public holiday."""
    return PublicHoliday.objects.filter(day=day).exists()


def public_holidays_between(first: dt.date, last: dt.date) -> set[dt.date]:
    """The public holidays from `first` to `last`, both included (one query)."""
    return set(
        PublicHoliday.objects.filter(day__gte=first, day__lte=last).values_list("day", flat=True)
    )
