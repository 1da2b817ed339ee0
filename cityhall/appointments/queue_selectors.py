"""Reading the virtual queue: a facility's queue now, a visit by its token, a counter's state,
and today's bookings with their check-in. The only door to visits for pages and the API.

Positions are per service, in call order (services_queue/rules.py); estimates come from
wait_estimates (one pass for the whole facility).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from uuid import UUID

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.appointments.models import Booking, Counter, CounterService, CounterSession, Visit
from cityhall.appointments.services_queue.common import AT_COUNTER
from cityhall.appointments.services_queue.rules import call_order, local_day, queue_rules
from cityhall.appointments.slots import city_zone
from cityhall.appointments.wait_estimates import estimated_waits
from cityhall.core.errors import NotFound
from cityhall.places.models import Facility


@dataclass(frozen=True)
class WaitingVisit:
    visit: Visit
    #: 1 for the next to be called in its service.
    position: int
    estimated_wait: dt.timedelta | None

    @property
    def estimated_minutes(self) -> int | None:
        """The estimate in whole minutes, rounded up (for display)."""
        if self.estimated_wait is None:
            return None
        return math.ceil(self.estimated_wait.total_seconds() / 60)


@dataclass
class ServiceQueue:
    service: CounterService
    waiting: list[WaitingVisit] = field(default_factory=list)


@dataclass
class QueueNow:
    """A facility's queue at one moment."""

    facility: Facility
    services: list[ServiceQueue]
    #: Called or being served, with their counter.
    at_counters: list[Visit]
    open_sessions: list[CounterSession]

    @property
    def waiting_count(self) -> int:
        return sum(len(queue.waiting) for queue in self.services)


def _today(now: dt.datetime | None) -> tuple[dt.datetime, dt.date]:
    now = now or timezone.now()
    return now, local_day(now)


def facility_queue(facility: Facility, *, now: dt.datetime | None = None) -> QueueNow:
    """Who waits (per service, with positions and estimates), who is at a counter, and which
    counters are open at `facility` now."""
    now, today = _today(now)
    visits = list(
        Visit.objects.filter(
            facility=facility, day=today, status__in=(Visit.Status.WAITING, *AT_COUNTER)
        ).select_related("service", "counter")
    )
    waits = estimated_waits(facility, now=now)
    rules = queue_rules()
    services: dict[int, ServiceQueue] = {}
    for visit in call_order([v for v in visits if v.status == Visit.Status.WAITING], rules):
        queue = services.setdefault(visit.service_id, ServiceQueue(service=visit.service))
        queue.waiting.append(
            WaitingVisit(
                visit=visit, position=len(queue.waiting) + 1, estimated_wait=waits.get(visit.id)
            )
        )
    return QueueNow(
        facility=facility,
        services=sorted(services.values(), key=lambda queue: queue.service.name),
        at_counters=sorted(
            (v for v in visits if v.status in AT_COUNTER),
            key=lambda v: (v.called_at or now, v.id),
        ),
        open_sessions=list(
            CounterSession.objects.filter(counter__facility=facility, closed_at__isnull=True)
            .select_related("counter", "staff")
            .order_by("counter__label")
        ),
    )


def counter_facilities() -> list[Facility]:
    """The facilities that have counters, by name."""
    return list(Facility.objects.filter(counters__isnull=False).distinct().order_by("name_en"))


def counter_facility(public_id: UUID) -> Facility:
    """A facility with counters, by its public id; else NotFound."""
    facility = Facility.objects.filter(public_id=public_id, counters__isnull=False).first()
    if facility is None:
        raise NotFound
    return facility


def visit_by_token(token: str) -> Visit:
    """The visit a holder's secret link names (after a transfer, the new visit); else NotFound."""
    visit = (
        Visit.objects.select_related("facility", "service", "counter").filter(token=token).first()
        if token
        else None
    )
    if visit is None:
        raise NotFound
    return visit


def visit_position(visit: Visit, *, now: dt.datetime | None = None) -> int | None:
    """The place of a waiting visit in its service's queue (1 = next); None once called."""
    if visit.status != Visit.Status.WAITING:
        return None
    waiting = Visit.objects.filter(
        facility_id=visit.facility_id,
        service_id=visit.service_id,
        day=visit.day,
        status=Visit.Status.WAITING,
    )
    ordered = [v.pk for v in call_order(waiting, queue_rules())]
    return ordered.index(visit.pk) + 1 if visit.pk in ordered else None


@dataclass(frozen=True)
class CounterState:
    counter: Counter
    #: The session on duty at the counter, or None when it is closed.
    session: CounterSession | None


def counters_of(facility: Facility) -> list[CounterState]:
    """The counters of `facility` with their services and who is on duty (3 queries)."""
    counters = list(
        Counter.objects.filter(facility=facility).prefetch_related("services").order_by("label")
    )
    sessions = {
        s.counter_id: s
        for s in CounterSession.objects.filter(
            counter__in=counters, closed_at__isnull=True
        ).select_related("staff")
    }
    return [CounterState(counter=c, session=sessions.get(c.pk)) for c in counters]


def open_session_of(staff: User) -> CounterSession | None:
    """The counter `staff` is on duty at, if any."""
    return (
        CounterSession.objects.filter(staff=staff, closed_at__isnull=True)
        .select_related("counter__facility")
        .first()
    )


def visit_at_counter(counter: Counter) -> Visit | None:
    """The visit called to or being served at `counter`, if any."""
    return (
        Visit.objects.filter(counter=counter, status__in=AT_COUNTER)
        .select_related("service", "facility", "counter")
        .first()
    )


def open_visit_at_facility(*, facility: Facility, public_id: UUID) -> Visit:
    """An open visit of `facility` by its public id (staff forms), else NotFound."""
    visit = (
        Visit.objects.filter(
            facility=facility, public_id=public_id, status__in=(Visit.Status.WAITING, *AT_COUNTER)
        )
        .select_related("service", "facility", "counter")
        .first()
    )
    if visit is None:
        raise NotFound
    return visit


@dataclass(frozen=True)
class BookingOfToday:
    booking: Booking
    #: The visit of its check-in, or None when the person has not checked in.
    visit: Visit | None


def todays_bookings(facility: Facility, *, now: dt.datetime | None = None) -> list[BookingOfToday]:
    """Today's confirmed bookings at `facility` in time order, with their check-in (2 queries)."""
    now, today = _today(now)
    start = dt.datetime.combine(today, dt.time.min, tzinfo=city_zone())
    bookings = list(
        Booking.objects.filter(
            facility=facility,
            status=Booking.Status.CONFIRMED,
            starts_at__gte=start,
            starts_at__lt=start + dt.timedelta(days=1),
        )
        .select_related("service", "counter")
        .order_by("starts_at", "id")
    )
    visits = {
        v.booking_id: v
        for v in Visit.objects.filter(booking__in=bookings).select_related("counter")
    }
    return [BookingOfToday(booking=b, visit=visits.get(b.pk)) for b in bookings]
