"""Free slots: when a service can be booked at a facility, computed from its calendar.

A slot starts at an opening time and every service duration after it, inside one range of
opening hours, on a day that is neither a public holiday nor in a closure of the facility. It is
free on a counter that offers the service, is open, and has none of the slot's cells taken by an
active booking (an unconfirmed hold past its expiry no longer counts). Times are local to
settings.TIME_ZONE and aware; a wall-clock time that does not exist on a DST change is skipped.

One call reads the facility's counters, hours, closures, holidays and the active bookings of the
whole range: five queries whatever the number of days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from cityhall.appointments.holidays import public_holidays_between
from cityhall.appointments.models import (
    ACTIVE_STATUSES,
    CELL_MINUTES,
    Booking,
    Closure,
    Counter,
    CounterService,
    OpeningHours,
)
from cityhall.places.models import Facility

CELL = dt.timedelta(minutes=CELL_MINUTES)
CELL_SECONDS = CELL_MINUTES * 60
INACTIVE_STATUSES = [status for status in Booking.Status if status not in ACTIVE_STATUSES]
#: No service lasts longer (CounterService.duration_minutes), so no booking either.
LONGEST_BOOKING = dt.timedelta(minutes=480)


@dataclass(frozen=True)
class Slot:
    """A bookable time; `counter_ids` are the counters still free then (empty when full)."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    counter_ids: tuple[int, ...]

    @property
    def is_free(self) -> bool:
        return bool(self.counter_ids)


def city_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def cells_of(starts_at: dt.datetime, ends_at: dt.datetime) -> list[dt.datetime]:
    """The grid steps a booking from `starts_at` to `ends_at` covers, in UTC."""
    start = starts_at.astimezone(dt.UTC)
    count = int((ends_at - starts_at) / CELL)
    return [start + step * CELL for step in range(count)]


def local_moment(day: dt.date, time_of_day: dt.time) -> dt.datetime | None:
    """`time_of_day` on `day` in the city's zone, or None when the clocks skip it (DST)."""
    zone = city_zone()
    moment = dt.datetime.combine(day, time_of_day, tzinfo=zone)
    back = moment.astimezone(dt.UTC).astimezone(zone)
    return moment if back.replace(tzinfo=None) == moment.replace(tzinfo=None) else None


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def _closed_days(facility: Facility, first: dt.date, last: dt.date) -> set[dt.date]:
    closed = public_holidays_between(first, last)
    for starts_on, ends_on in Closure.objects.filter(
        facility=facility, starts_on__lte=last, ends_on__gte=first
    ).values_list("starts_on", "ends_on"):
        closed.update(_days(max(starts_on, first), min(ends_on, last)))
    return closed


def _cell_number(moment: dt.datetime) -> int:
    """The grid step `moment` falls in, counted from the epoch (steps are whole in UTC)."""
    return int(moment.timestamp()) // CELL_SECONDS


def _taken_cells(
    counter_ids: list[int], first: dt.date, last: dt.date, now: dt.datetime
) -> dict[int, set[int]]:
    """Counter → the cell numbers held by its active bookings from `first` to `last`.

    Read from the bookings (a few times fewer rows than their cells) and cut into cells here;
    the cells are written in the same transactions as the bookings' status, so both agree. An
    unconfirmed hold past its expiry no longer counts. Cells are integers, not times: the
    search tests hundreds of them per slot list, and integers hash and compare cheaply.
    """
    start = dt.datetime.combine(first, dt.time.min, tzinfo=city_zone())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=city_zone())
    # The inactive statuses are excluded rather than the active ones listed: given equality on
    # the status, SQLite's planner picks the (status, start) index and reads every facility's
    # bookings of the range instead of these counters' (bench/appointment_slots.py).
    rows = (
        Booking.objects.filter(
            Q(hold_expires_at__isnull=True) | Q(hold_expires_at__gte=now),
            counter_id__in=counter_ids,
            starts_at__gt=start - LONGEST_BOOKING,
            starts_at__lt=end,
        )
        .exclude(status__in=INACTIVE_STATUSES)
        .order_by()  # cut into a set: the model's ordering would only add a sort
        .values_list("counter_id", "starts_at", "ends_at")
    )
    taken: dict[int, set[int]] = {counter_id: set() for counter_id in counter_ids}
    for counter_id, starts_at, ends_at in rows:
        taken[counter_id].update(range(_cell_number(starts_at), _cell_number(ends_at)))
    return taken


def slots_between(  # noqa: PLR0913 (keyword-only: what, where, which days, seen when)
    *,
    service: CounterService,
    facility: Facility,
    first: dt.date,
    last: dt.date,
    now: dt.datetime | None = None,
    include_full: bool = False,
) -> dict[dt.date, list[Slot]]:
    """The service's slots at the facility from `first` to `last` (local days, both included).

    Only days with at least one slot appear. Slots sooner than the minimum notice or beyond
    the booking horizon are left out; with `include_full`, slots with no free counter are kept
    (with empty `counter_ids`), so a caller can tell "taken" from "not offered".
    """
    now = now or timezone.now()
    if not service.is_bookable:
        return {}
    today = now.astimezone(city_zone()).date()
    first = max(first, today)
    last = min(last, today + dt.timedelta(days=service.booking_horizon_days))
    if first > last:
        return {}
    counter_ids = list(
        Counter.objects.filter(facility=facility, is_open=True, services=service)
        .order_by("label")
        .values_list("id", flat=True)
    )
    if not counter_ids:
        return {}
    hours: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    for weekday, opens_at, closes_at in OpeningHours.objects.filter(facility=facility).values_list(
        "weekday", "opens_at", "closes_at"
    ):
        hours[weekday].append((opens_at, closes_at))
    closed = _closed_days(facility, first, last)
    taken = _taken_cells(counter_ids, first, last, now)
    earliest = now + dt.timedelta(minutes=service.minimum_notice_minutes)
    duration = dt.timedelta(minutes=service.duration_minutes)
    found: dict[dt.date, list[Slot]] = {}
    for day in _days(first, last):
        if day in closed:
            continue
        day_slots: list[Slot] = []
        for opens_at, closes_at in sorted(hours.get(day.weekday(), [])):
            day_slots.extend(
                _range_slots(day, opens_at, closes_at, duration, earliest, counter_ids, taken)
            )
        kept = [slot for slot in day_slots if include_full or slot.is_free]
        if kept:
            found[day] = kept
    return found


def _range_slots(  # noqa: PLR0913 (one range's inputs, computed once per call above)
    day: dt.date,
    opens_at: dt.time,
    closes_at: dt.time,
    duration: dt.timedelta,
    earliest: dt.datetime,
    counter_ids: list[int],
    taken: dict[int, set[int]],
) -> Iterator[Slot]:
    opening = local_moment(day, opens_at)
    closing = local_moment(day, closes_at)
    if opening is None or closing is None:
        return  # the clocks change inside this range: no counter opens at 2 a.m. anyway
    zone = city_zone()
    cells = int(duration / CELL)
    start = opening.astimezone(dt.UTC)
    first_cell = _cell_number(start)
    while start + duration <= closing:
        end = start + duration
        if start >= earliest:
            span = range(first_cell, first_cell + cells)
            free = tuple(
                counter_id for counter_id in counter_ids if taken[counter_id].isdisjoint(span)
            )
            yield Slot(
                starts_at=start.astimezone(zone), ends_at=end.astimezone(zone), counter_ids=free
            )
        start = end
        first_cell += cells


def slot_at(
    *, service: CounterService, facility: Facility, starts_at: dt.datetime, now: dt.datetime
) -> Slot | None:
    """The slot starting at `starts_at` (free or full), or None when no such slot is offered."""
    day = starts_at.astimezone(city_zone()).date()
    for slot in slots_between(
        service=service, facility=facility, first=day, last=day, now=now, include_full=True
    ).get(day, []):
        if slot.starts_at == starts_at:
            return slot
    return None


def next_free_slot(
    *, service: CounterService, facility: Facility, after: dt.datetime, now: dt.datetime
) -> Slot | None:
    """The first free slot starting after `after`, looking a week at a time to the horizon."""
    zone = city_zone()
    first = after.astimezone(zone).date()
    horizon = now.astimezone(zone).date() + dt.timedelta(days=service.booking_horizon_days)
    while first <= horizon:
        last = first + dt.timedelta(days=6)
        for day_slots in slots_between(
            service=service, facility=facility, first=first, last=last, now=now
        ).values():
            for slot in day_slots:
                if slot.starts_at > after:
                    return slot
        first = last + dt.timedelta(days=1)
    return None
