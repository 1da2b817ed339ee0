"""The queue ahead, played forward: when will each waiting visit be called?

Pure functions over a snapshot of a facility (open counters, waiting visits, expected arrivals
of today's bookings, learnt service times); no database here.

Each open counter frees up when its current visit is expected to end (`ServiceTimes.remaining`),
or now when idle. The earliest free counter then takes the visit the call-next rule would give
it among those it offers and present by then; it is busy for that visit's expected occupancy,
and so on. A visit's estimated wait is the time from now to its simulated call. Bookings not yet
checked in enter at their time, weighted by their chance to show up, since they pass ahead of
walk-ins once due. The simulation is deterministic: the same snapshot gives the same answer.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cityhall.appointments.wait_estimates.service_times import ServiceTimes


@dataclass(frozen=True)
class QueuedVisit:
    """A visit waiting to be called (or, with `expected`, a booking not yet checked in)."""

    id: int
    service_id: int
    joined_at: dt.datetime
    needs_priority: bool = False
    #: The appointment's time, for a visit that comes from a booking.
    due_at: dt.datetime | None = None
    #: Chance it is there when its turn comes (below 1 for bookings not yet checked in).
    show_probability: float = 1.0
    #: A booking expected later, not a person already in the queue.
    expected: bool = False
    #: The only counter that may call it (a transfer to a counter).
    only_counter_id: int | None = None


@dataclass(frozen=True)
class OpenCounter:
    """A counter with someone on duty, what it offers, and the visit at it now, if any."""

    id: int
    service_ids: frozenset[int]
    current_service_id: int | None = None
    #: When the current visit was called to this counter.
    current_since: dt.datetime | None = None


@dataclass(frozen=True)
class Snapshot:
    now: dt.datetime
    counters: Sequence[OpenCounter]
    queue: Sequence[QueuedVisit]
    times: ServiceTimes


#: Given the visits a counter may call at a time, the one it calls.
CallRule = Callable[[Sequence[QueuedVisit], dt.datetime], QueuedVisit]


def call_order(visit: QueuedVisit, at: dt.datetime) -> tuple[bool, bool, dt.datetime, int]:
    """Priority first, then appointments whose time has come, then by who came first."""

    is_due = visit.due_at is not None and visit.due_at <= at
    reference = visit.due_at if is_due and visit.due_at is not None else visit.joined_at
    return (not visit.needs_priority, not is_due, reference, visit.id)


def call_next(candidates: Sequence[QueuedVisit], at: dt.datetime) -> QueuedVisit:
    return min(candidates, key=lambda visit: call_order(visit, at))


def _seconds(delta: dt.timedelta) -> float:
    return delta.total_seconds()


def _may_call(counter: OpenCounter, visit: QueuedVisit) -> bool:
    if visit.only_counter_id is not None:
        return visit.only_counter_id == counter.id
    return visit.service_id in counter.service_ids


def simulate(snapshot: Snapshot, *, rule: CallRule = call_next) -> dict[int, dt.timedelta]:
    """Estimated wait of every visit of the queue a counter offers, keyed by visit id.

    Visits whose service no open counter offers are left out (no estimate). Expected bookings
    are played but not reported.
    """

    now, times = snapshot.now, snapshot.times
    pending = list(snapshot.queue)
    heap: list[tuple[dt.datetime, int, OpenCounter]] = []
    for order, counter in enumerate(snapshot.counters):
        free_at = now
        if counter.current_service_id is not None:
            elapsed = _seconds(now - (counter.current_since or now))
            left = times.remaining(counter.current_service_id, counter.id, elapsed)
            free_at = now + dt.timedelta(seconds=left)
        heap.append((free_at, order, counter))
    heapq.heapify(heap)
    waits: dict[int, dt.timedelta] = {}
    while heap and pending:
        free_at, order, counter = heapq.heappop(heap)
        offered = [visit for visit in pending if _may_call(counter, visit)]
        if not offered:
            continue
        present = [visit for visit in offered if visit.joined_at <= free_at]
        if not present:
            # Idle until the next expected arrival it could serve.
            heapq.heappush(heap, (min(visit.joined_at for visit in offered), order, counter))
            continue
        chosen = rule(present, free_at)
        pending.remove(chosen)
        if not chosen.expected:
            waits[chosen.id] = max(free_at - now, dt.timedelta(0))
        busy = chosen.show_probability * times.occupancy(chosen.service_id, counter.id)
        heapq.heappush(heap, (free_at + dt.timedelta(seconds=busy), order, counter))
    return waits


def wait_for_newcomer(
    snapshot: Snapshot, service_id: int, *, rule: CallRule = call_next
) -> dt.timedelta | None:
    """Estimated wait of a walk-in joining now for `service_id` (None when no counter offers it)."""

    # Last in line among those who came at the same instant: an id above all others.
    newcomer_id = max((visit.id for visit in snapshot.queue), default=0) + 1
    newcomer = QueuedVisit(id=newcomer_id, service_id=service_id, joined_at=snapshot.now)
    with_newcomer = Snapshot(
        snapshot.now, snapshot.counters, [*snapshot.queue, newcomer], snapshot.times
    )
    return simulate(with_newcomer, rule=rule).get(newcomer_id)
