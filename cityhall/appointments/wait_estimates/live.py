"""A facility's snapshot read from the database, in a fixed handful of queries.

1. the open visits (waiting, called, serving);
2. the open counter sessions;
3. what each counter offers, with the services' booked durations (one join);
4. today's confirmed bookings not yet checked in, due from a little while ago to tonight;
and, once per facility and five minutes (cached), what history teaches:
5. the visits finished there recently (service times, no-shows);
6. the counter sessions of the past weeks (the usual roster);
7. how many of the recent bookings were checked in (the chance a booking shows up).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from cityhall.appointments.models import Booking, Counter, CounterSession, Visit
from cityhall.appointments.slots import city_zone
from cityhall.appointments.wait_estimates.roster import PastSession, Roster, learn_roster
from cityhall.appointments.wait_estimates.service_times import (
    Observation,
    ServiceTimes,
    learn_service_times,
)
from cityhall.appointments.wait_estimates.simulation import (
    OpenCounter,
    QueuedVisit,
    Snapshot,
)
from cityhall.places.models import Facility

#: How far back finished visits teach service times, and at most how many are read.
LEARNING_DAYS = 14
LEARNING_ROWS = 2000
LEARNING_CACHE_SECONDS = 300
#: How far back counter sessions teach the usual roster.
ROSTER_DAYS = 28
#: A booking this late and not yet checked in may still come.
LATE_ARRIVAL_GRACE = dt.timedelta(minutes=15)
#: How far back bookings tell the share that shows up, and the share assumed without any.
SHOW_UP_DAYS = 28
DEFAULT_SHOW_UP = 0.9


@dataclass(frozen=True)
class FacilityQueue:
    """The snapshot to simulate and what the pages need beside it."""

    snapshot: Snapshot
    #: Waiting visits per service id.
    waiting_by_service: dict[int, int]


@dataclass(frozen=True)
class Learnt:
    """What the facility's history teaches: service times, roster, bookings' show-up share."""

    times: ServiceTimes
    roster: Roster
    show_up: float


def _learnt(facility: Facility, now: dt.datetime, durations: dict[int, float]) -> Learnt:
    # History moves slowly: it is read once per facility and LEARNING_CACHE_SECONDS of
    # (possibly simulated) time, so a page polled every few seconds reads no history.
    bucket = int(now.timestamp() // LEARNING_CACHE_SECONDS)
    key = f"appointments:wait-learnt:{facility.pk}:{bucket}"
    learnt = cache.get(key)
    if isinstance(learnt, Learnt) and learnt.times.defaults == durations:
        return learnt
    learnt = Learnt(
        _learn_service_times(facility, now, durations),
        _learn_roster(facility, now),
        _show_up_share(facility, now),
    )
    cache.set(key, learnt, LEARNING_CACHE_SECONDS)
    return learnt


def _learn_roster(facility: Facility, now: dt.datetime) -> Roster:
    zone = city_zone()
    today = dt.datetime.combine(now.astimezone(zone).date(), dt.time(), tzinfo=zone)
    sessions = CounterSession.objects.filter(
        counter__facility=facility,
        opened_at__gte=today - dt.timedelta(days=ROSTER_DAYS),
        opened_at__lt=today,
        closed_at__isnull=False,
    ).values_list("counter_id", "opened_at", "closed_at")
    past = [
        PastSession(counter_id, opened_at, closed_at)
        for counter_id, opened_at, closed_at in sessions
        if closed_at is not None
    ]
    return learn_roster(past, zone)


def _learn_service_times(
    facility: Facility, now: dt.datetime, durations: dict[int, float]
) -> ServiceTimes:
    finished = (
        Visit.objects.filter(
            facility=facility,
            status__in=[Visit.Status.SERVED, Visit.Status.NO_SHOW],
            finished_at__gte=now - dt.timedelta(days=LEARNING_DAYS),
            finished_at__lte=now,
            called_at__isnull=False,
        )
        .order_by("-finished_at")
        .values_list("service_id", "counter_id", "called_at", "finished_at", "status")[
            :LEARNING_ROWS
        ]
    )
    observations = [
        Observation(
            service_id,
            counter_id,
            (finished_at - called_at).total_seconds(),
            no_show=status == Visit.Status.NO_SHOW,
            called_at=called_at,
        )
        for service_id, counter_id, called_at, finished_at, status in finished
        if called_at is not None and finished_at is not None
    ]
    return learn_service_times(observations, durations)


def _show_up_share(facility: Facility, now: dt.datetime) -> float:
    counts = Booking.objects.filter(
        facility=facility,
        status=Booking.Status.CONFIRMED,
        starts_at__gte=now - dt.timedelta(days=SHOW_UP_DAYS),
        starts_at__lt=now - LATE_ARRIVAL_GRACE,
    ).aggregate(due=Count("id"), came=Count("id", filter=Q(visit__isnull=False)))
    # Two pseudo-bookings at the default share keep a facility's first days sensible.
    return float((counts["came"] + 2 * DEFAULT_SHOW_UP) / (counts["due"] + 2))


def _expected_bookings(facility: Facility, now: dt.datetime, show_up: float) -> list[QueuedVisit]:
    end_of_day = dt.datetime.combine(
        now.astimezone(city_zone()).date() + dt.timedelta(days=1), dt.time(), tzinfo=city_zone()
    )
    coming = Booking.objects.filter(
        facility=facility,
        status=Booking.Status.CONFIRMED,
        starts_at__gte=now - LATE_ARRIVAL_GRACE,
        starts_at__lt=end_of_day,
        visit__isnull=True,
    ).values_list("id", "service_id", "starts_at")
    # Negative ids keep expected bookings apart from the visits' ids.
    return [
        QueuedVisit(
            id=-booking_id,
            service_id=service_id,
            joined_at=max(starts_at, now),
            due_at=starts_at,
            show_probability=show_up,
            expected=True,
        )
        for booking_id, service_id, starts_at in coming
    ]


def read_facility_queue(facility: Facility, *, now: dt.datetime | None = None) -> FacilityQueue:
    """The facility's queue, open counters and learnt times at `now`."""

    now = now or timezone.now()
    open_counters = set(
        CounterSession.objects.filter(
            counter__facility=facility, closed_at__isnull=True, opened_at__lte=now
        ).values_list("counter_id", flat=True)
    )
    offers: dict[int, set[int]] = defaultdict(set)
    durations: dict[int, float] = {}
    for counter_id, service_id, minutes in Counter.services.through.objects.filter(
        counter__facility=facility
    ).values_list("counter_id", "counterservice_id", "counterservice__duration_minutes"):
        offers[counter_id].add(service_id)
        durations[service_id] = minutes * 60.0
    current: dict[int, tuple[int | None, dt.datetime | None]] = {}
    queue: list[QueuedVisit] = []
    waiting_by_service: dict[int, int] = defaultdict(int)
    visits = Visit.objects.filter(
        facility=facility,
        day=now.astimezone(city_zone()).date(),
        status__in=[Visit.Status.WAITING, Visit.Status.CALLED, Visit.Status.SERVING],
    ).values_list(
        "id", "status", "service_id", "counter_id", "joined_at", "called_at", "due_at",
        "needs_priority",
    )  # fmt: skip
    for visit_id, status, service_id, counter_id, joined_at, called_at, due_at, priority in visits:
        if status != Visit.Status.WAITING:
            if counter_id is not None:
                current[counter_id] = (service_id, called_at or now)
            continue
        waiting_by_service[service_id] += 1
        queue.append(
            QueuedVisit(
                id=visit_id,
                service_id=service_id,
                joined_at=joined_at,
                needs_priority=priority,
                due_at=due_at,
                only_counter_id=counter_id,
            )
        )
    learnt = _learnt(facility, now, durations)
    counters = []
    for counter_id in sorted(offers):
        is_open = counter_id in open_counters
        shifts = learnt.roster.shifts(counter_id, now, open_now=is_open)
        if not shifts:
            continue
        serving, since = current.get(counter_id, (None, None))
        counters.append(
            OpenCounter(
                id=counter_id,
                service_ids=frozenset(offers[counter_id]),
                current_service_id=serving if is_open else None,
                current_since=since if is_open else None,
                shifts=tuple(shifts),
            )
        )
    queue.extend(_expected_bookings(facility, now, learnt.show_up))
    times = learnt.times
    return FacilityQueue(Snapshot(now, counters, queue, times), dict(waiting_by_service))
