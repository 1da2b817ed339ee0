"""The queue's rules: who is called next, and when a facility gives tickets.

Call order ("earliest promise first"). Every waiting visit carries a promise:
* an appointment checked in on time is promised its booked time (`due_at`);
* a walk-in ticket, and an appointment checked in more than `late_after` past its time, wait in
  the walk-in line, ordered by accessibility priority first, then by arrival (`joined_at`,
  kept across transfers). The line as a whole is promised `walk_in_bound` after the arrival of
  the earliest walk-in still waiting.
The next visit is whichever promise comes first: the earliest appointment, or the head of the
walk-in line; on a tie the appointment. So a due appointment goes first unless the walk-ins have
waited longer than the bound; a late arrival is still served, after the appointments due.

The figures are settings: QUEUE_WALK_IN_BOUND_MINUTES (15), QUEUE_LATE_AFTER_MINUTES (10),
QUEUE_CHECK_IN_OPENS_MINUTES (60), QUEUE_MAX_OPEN_TICKETS_PER_PERSON (2) and
QUEUE_NEARLY_NEXT_COUNT (3, how many visits ahead are told "nearly your turn").
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from cityhall.appointments.holidays import is_public_holiday
from cityhall.appointments.models import Closure, OpeningHours, Visit
from cityhall.appointments.slots import city_zone
from cityhall.places.models import Facility


@dataclass(frozen=True)
class QueueRules:
    walk_in_bound: dt.timedelta
    late_after: dt.timedelta
    check_in_opens: dt.timedelta
    max_open_tickets: int
    nearly_next_count: int


def queue_rules() -> QueueRules:
    """The rules as configured now."""

    return QueueRules(
        walk_in_bound=dt.timedelta(minutes=settings.QUEUE_WALK_IN_BOUND_MINUTES),
        late_after=dt.timedelta(minutes=settings.QUEUE_LATE_AFTER_MINUTES),
        check_in_opens=dt.timedelta(minutes=settings.QUEUE_CHECK_IN_OPENS_MINUTES),
        max_open_tickets=settings.QUEUE_MAX_OPEN_TICKETS_PER_PERSON,
        nearly_next_count=settings.QUEUE_NEARLY_NEXT_COUNT,
    )


def is_late(visit: Visit, rules: QueueRules) -> bool:
    """Whether an appointment was checked in too late to keep its time (walk-ins never are)."""
    return visit.due_at is not None and visit.joined_at > visit.due_at + rules.late_after


def call_order(visits: Iterable[Visit], rules: QueueRules) -> list[Visit]:
    """The waiting `visits` in the order they are to be called (see the module's rule)."""
    appointments: list[tuple[dt.datetime, dt.datetime, int, Visit]] = []
    walk_ins: list[Visit] = []
    for visit in visits:
        if visit.due_at is not None and not is_late(visit, rules):
            appointments.append((visit.due_at, visit.joined_at, visit.id, visit))
        else:
            walk_ins.append(visit)
    appointments.sort(key=lambda entry: entry[:3])
    walk_ins.sort(key=lambda v: (not v.needs_priority, v.joined_at, v.id))
    # The arrivals of the walk-ins still in line, earliest first: the line's promise.
    arrivals = sorted((v.joined_at, v.id) for v in walk_ins)
    ordered: list[Visit] = []
    next_appointment = next_walk_in = 0
    while next_appointment < len(appointments) or next_walk_in < len(walk_ins):
        take_appointment = next_walk_in == len(walk_ins) or (
            next_appointment < len(appointments)
            and appointments[next_appointment][0] <= arrivals[0][0] + rules.walk_in_bound
        )
        if take_appointment:
            ordered.append(appointments[next_appointment][3])
            next_appointment += 1
            continue
        walk_in = walk_ins[next_walk_in]
        next_walk_in += 1
        ordered.append(walk_in)
        del arrivals[bisect.bisect_left(arrivals, (walk_in.joined_at, walk_in.id))]
    return ordered


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(city_zone()).date()


def is_open_at(facility: Facility, moment: dt.datetime) -> bool:
    """Whether `facility` is open at `moment`: within its hours, not a holiday nor closed."""
    local = moment.astimezone(city_zone())
    day = local.date()
    if is_public_holiday(day):
        return False
    if Closure.objects.filter(facility=facility, starts_on__lte=day, ends_on__gte=day).exists():
        return False
    return OpeningHours.objects.filter(
        facility=facility,
        weekday=day.weekday(),
        opens_at__lte=local.time(),
        closes_at__gt=local.time(),
    ).exists()
