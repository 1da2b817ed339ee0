"""Months of past visits at the demo city's counters, for the managers' figures and the estimates.

For every open day of the last `appointments.PAST_DAYS` days (weekdays of the opening hours, no
public holiday nor closure), each counter of a facility is on duty through each range of its
hours (one counter off some days), walk-ins come at a rate that follows the hour and the weekday
(late mornings and Mondays busiest, Friday afternoons quiet), the past bookings kept are checked
in a few minutes early (one in ten never comes), and the day is played through: the first free
counter calls the next visit (a booking whose time has come, then priority, then arrival), serves
it for a log-normal time around the service's duration, or marks it a no-show. Rows are written
in bulk; `queue.delete_demo_queue` deletes them with today's queue.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import random
from collections import defaultdict
from dataclasses import dataclass

from cityhall.accounts.models import User
from cityhall.appointments.holidays import public_holidays_between
from cityhall.appointments.models import (
    Booking,
    Closure,
    Counter,
    CounterService,
    CounterSession,
    OpeningHours,
    Visit,
)
from cityhall.appointments.slots import city_zone
from cityhall.demo.appointments import PAST_DAYS
from cityhall.demo.staff_access import AGENT_EMAIL, BURST_EMAIL, SUPERVISOR_EMAIL
from cityhall.places.models import Facility

#: Walk-ins per counter and hour at the busiest hour of an ordinary day.
PEAK_WALK_INS_PER_COUNTER = 1.7
#: The shape of a day and of a week (hour of arrival → factor; weekday → factor).
HOURLY = {8: 0.5, 9: 0.8, 10: 1.0, 11: 0.95, 12: 0.6, 13: 0.85, 14: 0.75, 15: 0.65, 16: 0.45}
EVENING = 0.55
WEEKLY = {0: 1.25, 1: 1.0, 2: 0.95, 3: 1.05, 4: 0.8, 5: 1.1, 6: 0.7}
PRIORITY_SHARE = 0.04
WALK_IN_GONE_SHARE = 0.05
BOOKING_MISSED_SHARE = 0.1
COUNTER_OFF_SHARE = 0.1
#: People on duty elsewhere today (demo/queue.py) keep one session each, so not in history.
ON_DUTY_TODAY = (AGENT_EMAIL, SUPERVISOR_EMAIL, BURST_EMAIL)


@dataclass
class _Arrival:
    at: dt.datetime
    service: CounterService
    booking: Booking | None = None
    needs_priority: bool = False
    gone: bool = False


def create_demo_appointment_history(*, seed: int, now: dt.datetime) -> int:
    """Write the past visits and counter sessions of the demo's facilities; returns the visits."""
    rng = random.Random(f"{seed}:appointment-history")  # noqa: S311 (reproducible demo history)
    staff = list(
        User.objects.filter(is_staff=True, is_active=True)
        .exclude(email__in=ON_DUTY_TODAY)
        .order_by("email")
    )
    if not staff:
        return 0
    today = now.astimezone(city_zone()).date()
    first = today - dt.timedelta(days=PAST_DAYS)
    holidays = public_holidays_between(first, today)
    visits: list[Visit] = []
    sessions: list[CounterSession] = []
    seats = 0  # counters seen so far: each counter of the city has its own person on a day
    for facility in Facility.objects.filter(counters__isnull=False).distinct().order_by("id"):
        days = _open_days(facility, first, today, holidays)
        counters = list(Counter.objects.filter(facility=facility).order_by("label"))
        walk_in = list(
            CounterService.objects.filter(counters__facility=facility, is_active=True)
            .exclude(access=CounterService.Access.BOOKING)
            .distinct()
            .order_by("code")
        )
        bookings = _bookings_by_day(facility, first, today)
        for day, ranges in days.items():
            arrivals = _walk_ins(rng, day, ranges, walk_in, len(counters))
            arrivals += _check_ins(rng, bookings.get(day, []), ranges)
            on_duty = [c for c in counters if rng.random() >= COUNTER_OFF_SHARE] or counters[:1]
            people = {
                counter.pk: staff[(day.toordinal() + seats + index) % len(staff)]
                for index, counter in enumerate(on_duty)
            }
            day_visits, day_sessions = _play_day(rng, facility, day, ranges, on_duty, people,
                                                 arrivals)  # fmt: skip
            visits += day_visits
            sessions += day_sessions
        seats += len(counters)
    CounterSession.objects.bulk_create(sessions, batch_size=1000)
    Visit.objects.bulk_create(visits, batch_size=1000)
    return len(visits)


def _open_days(
    facility: Facility, first: dt.date, today: dt.date, holidays: set[dt.date]
) -> dict[dt.date, list[tuple[dt.datetime, dt.datetime]]]:
    """Each open day from `first` to yesterday, with its ranges of opening hours."""
    hours: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    for weekday, opens, closes in OpeningHours.objects.filter(facility=facility).values_list(
        "weekday", "opens_at", "closes_at"
    ):
        hours[weekday].append((opens, closes))
    closed = {
        starts_on + dt.timedelta(days=offset)
        for starts_on, ends_on in Closure.objects.filter(facility=facility).values_list(
            "starts_on", "ends_on"
        )
        for offset in range((ends_on - starts_on).days + 1)
    }
    zone = city_zone()
    days = {}
    day = first
    while day < today:
        if day.weekday() in hours and day not in holidays and day not in closed:
            days[day] = [
                (dt.datetime.combine(day, opens, zone), dt.datetime.combine(day, closes, zone))
                for opens, closes in sorted(hours[day.weekday()])
            ]
        day += dt.timedelta(days=1)
    return days


def _bookings_by_day(
    facility: Facility, first: dt.date, today: dt.date
) -> dict[dt.date, list[Booking]]:
    zone = city_zone()
    found: dict[dt.date, list[Booking]] = defaultdict(list)
    for booking in Booking.objects.filter(
        facility=facility,
        status=Booking.Status.CONFIRMED,
        starts_at__gte=dt.datetime.combine(first, dt.time(), zone),
        starts_at__lt=dt.datetime.combine(today, dt.time(), zone),
        visit__isnull=True,
    ).select_related("service"):
        found[booking.starts_at.astimezone(zone).date()].append(booking)
    return found


def _walk_ins(
    rng: random.Random,
    day: dt.date,
    ranges: list[tuple[dt.datetime, dt.datetime]],
    services: list[CounterService],
    counters: int,
) -> list[_Arrival]:
    """Poisson arrivals over the opening ranges, the rate following the hour and the weekday."""
    if not services:
        return []
    arrivals = []
    # Short services are asked for more often than long ones.
    weights = [1 / service.duration_minutes for service in services]
    for opens, closes in ranges:
        moment = opens
        while True:
            hour_factor = HOURLY.get(moment.hour, EVENING)
            rate = PEAK_WALK_INS_PER_COUNTER * counters * hour_factor * WEEKLY[day.weekday()]
            moment += dt.timedelta(hours=rng.expovariate(rate))
            if moment >= closes:
                break
            arrivals.append(
                _Arrival(
                    moment, rng.choices(services, weights)[0],
                    needs_priority=rng.random() < PRIORITY_SHARE,
                    gone=rng.random() < WALK_IN_GONE_SHARE,
                )
            )  # fmt: skip
    return arrivals


def _check_ins(
    rng: random.Random, bookings: list[Booking], ranges: list[tuple[dt.datetime, dt.datetime]]
) -> list[_Arrival]:
    arrivals = []
    for booking in bookings:
        if rng.random() < BOOKING_MISSED_SHARE:
            continue
        opens = next((a for a, b in ranges if a <= booking.starts_at < b), booking.starts_at)
        early = dt.timedelta(minutes=rng.uniform(-3, 12))
        arrivals.append(_Arrival(max(opens, booking.starts_at - early), booking.service, booking))
    return arrivals


def _next_visit(waiting: list[_Arrival], at: dt.datetime) -> _Arrival:
    due = [a for a in waiting if a.booking is not None and a.booking.starts_at <= at]
    if due:
        return min(due, key=lambda a: a.booking.starts_at if a.booking else a.at)
    return min(waiting, key=lambda a: (not a.needs_priority, a.at))


def _play_day(  # noqa: PLR0913 (the day's parts)
    rng: random.Random,
    facility: Facility,
    day: dt.date,
    ranges: list[tuple[dt.datetime, dt.datetime]],
    counters: list[Counter],
    people: dict[int, User],
    arrivals: list[_Arrival],
) -> tuple[list[Visit], list[CounterSession]]:
    arrivals.sort(key=lambda a: a.at)
    numbers = {id(a): n for n, a in enumerate(arrivals, start=1)}
    visits, sessions = [], []
    for opens, closes in ranges:
        coming = [a for a in arrivals if opens <= a.at < closes]
        waiting: list[_Arrival] = []
        free = [(opens, counter.pk) for counter in counters]
        heapq.heapify(free)
        last_end = {counter.pk: closes for counter in counters}
        while coming or waiting:
            at, counter_id = heapq.heappop(free)
            while coming and coming[0].at <= at:
                waiting.append(coming.pop(0))
            if not waiting:
                heapq.heappush(free, (coming[0].at, counter_id))
                continue
            chosen = _next_visit(waiting, at)
            waiting.remove(chosen)
            visit = _visit(rng, facility, day, chosen, numbers[id(chosen)], counter_id, at)
            visit.called_by = people[counter_id]
            visits.append(visit)
            finished = visit.finished_at or at
            last_end[counter_id] = max(last_end[counter_id], finished)
            pause = dt.timedelta(minutes=rng.uniform(0, 0.7))
            heapq.heappush(free, (finished + pause, counter_id))
        sessions += [
            CounterSession(
                counter_id=counter.pk, staff=people[counter.pk],
                opened_at=opens - dt.timedelta(minutes=5), closed_at=last_end[counter.pk],
            )
            for counter in counters
        ]  # fmt: skip
    return visits, sessions


def _visit(  # noqa: PLR0913 (one row's parts)
    rng: random.Random,
    facility: Facility,
    day: dt.date,
    arrival: _Arrival,
    number: int,
    counter_id: int,
    called_at: dt.datetime,
) -> Visit:
    booking = arrival.booking
    walk_up = dt.timedelta(minutes=rng.uniform(0.3, 1.2))
    median = 0.75 * arrival.service.duration_minutes
    served_for = dt.timedelta(minutes=rng.lognormvariate(math.log(median), 0.45))
    held = dt.timedelta(minutes=1.5) if arrival.gone else walk_up + served_for
    return Visit(
        facility=facility,
        service=arrival.service,
        booking=booking,
        day=day,
        number=f"{'R' if booking else 'A'}{number:03d}",
        kind=Visit.Kind.APPOINTMENT if booking else Visit.Kind.WALK_IN,
        status=Visit.Status.NO_SHOW if arrival.gone else Visit.Status.SERVED,
        needs_priority=arrival.needs_priority,
        channel=Visit.Channel.CHECK_IN if booking else rng.choice(
            [Visit.Channel.KIOSK, Visit.Channel.KIOSK, Visit.Channel.PORTAL]
        ),
        citizen_id=booking.citizen_id if booking else None,
        language=booking.language if booking else ("fr" if rng.random() < 0.6 else "en"),
        joined_at=arrival.at,
        due_at=booking.starts_at if booking else None,
        called_at=called_at,
        times_called=1,
        serving_started_at=None if arrival.gone else called_at + walk_up,
        finished_at=called_at + held,
        counter_id=counter_id,
    )  # fmt: skip
