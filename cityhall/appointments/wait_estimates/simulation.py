"""The queue ahead, played forward: when will each waiting visit be called?

Pure functions over a snapshot of a facility (open counters, waiting visits, expected arrivals
of today's bookings, learnt service times and roster); no database here.

Each open counter frees up when its current visit is expected to end (`ServiceTimes.remaining`),
or now when idle; counters follow their usual roster when one was learnt (lunch breaks, the
extra desk at the peak), finishing the visit at hand before a break. The earliest free counter
then takes the visit the call-next rule would give it among those it may call and present by
then; it is busy for that visit's expected occupancy, and so on. A visit's estimated wait is
the time from now to its simulated call. Bookings not yet checked in enter at their time,
weighted by their chance to show up, since they pass ahead of walk-ins once due. The
simulation is deterministic: the same snapshot gives the same answer.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from cityhall.appointments.services_queue.rules import QueueRules, call_order
from cityhall.appointments.wait_estimates.roster import Shift
from cityhall.appointments.wait_estimates.service_times import ServiceTimes

if TYPE_CHECKING:
    from cityhall.appointments.models import Visit


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
    """A counter on duty now or later today, what it offers, and the visit at it now, if any."""

    id: int
    service_ids: frozenset[int]
    current_service_id: int | None = None
    #: When the current visit was called to this counter.
    current_since: dt.datetime | None = None
    #: When it is expected on duty (roster.py); empty: from now until the queue is served.
    shifts: tuple[Shift, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    now: dt.datetime
    counters: Sequence[OpenCounter]
    queue: Sequence[QueuedVisit]
    times: ServiceTimes


#: Given the visits a counter may call at a time, the one it calls.
CallRule = Callable[[Sequence[QueuedVisit], dt.datetime], QueuedVisit]


def queue_call_rule(rules: QueueRules) -> CallRule:
    """The queue's own call-next rule (`services_queue.rules.call_order`), over snapshots."""

    def first_called(candidates: Sequence[QueuedVisit], at: dt.datetime) -> QueuedVisit:
        # call_order reads only the fields a QueuedVisit shares with a Visit (due_at,
        # joined_at, needs_priority, id): the simulation follows the very rule the counters use.
        ordered = call_order(cast("list[Visit]", list(candidates)), rules)
        return cast("QueuedVisit", ordered[0])

    return first_called


def _seconds(delta: dt.timedelta) -> float:
    return delta.total_seconds()


def _on_duty_from(counter: OpenCounter, moment: dt.datetime) -> dt.datetime | None:
    """`moment` if the counter is on duty then, else when it next is; None: not again today."""
    if not counter.shifts:
        return moment
    for begins, ends in counter.shifts:
        if ends is None or moment < ends:
            return max(moment, begins)
    return None


def _may_call(counter: OpenCounter, visit: QueuedVisit) -> bool:
    if visit.only_counter_id is not None:
        return visit.only_counter_id == counter.id
    return visit.service_id in counter.service_ids


def simulate(snapshot: Snapshot, *, rule: CallRule) -> dict[int, dt.timedelta]:
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
        on_duty_at = _on_duty_from(counter, free_at)
        if on_duty_at is None:
            continue
        if on_duty_at > free_at:
            heapq.heappush(heap, (on_duty_at, order, counter))
            continue
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
    snapshot: Snapshot, service_id: int, *, rule: CallRule
) -> dt.timedelta | None:
    """Estimated wait of a walk-in joining now for `service_id` (None when no counter offers it)."""

    # Last in line among those who came at the same instant: an id above all others.
    newcomer_id = max((visit.id for visit in snapshot.queue), default=0) + 1
    newcomer = QueuedVisit(id=newcomer_id, service_id=service_id, joined_at=snapshot.now)
    with_newcomer = Snapshot(
        snapshot.now, snapshot.counters, [*snapshot.queue, newcomer], snapshot.times
    )
    return simulate(with_newcomer, rule=rule).get(newcomer_id)
