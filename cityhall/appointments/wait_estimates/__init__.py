"""Estimated waits at a facility's counters, from live data (docs/wait-estimates.md).

`service_times` learns how long visits hold a counter; `simulation` plays the queue ahead
forward over a snapshot of the facility; `live` reads that snapshot in a few queries. The three
functions below are what pages call: one read and one simulation per call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cityhall.appointments.models import CounterService, Visit
from cityhall.appointments.services_queue.rules import queue_rules
from cityhall.appointments.wait_estimates.live import read_facility_queue
from cityhall.appointments.wait_estimates.simulation import (
    queue_call_rule,
    simulate,
    wait_for_newcomer,
)
from cityhall.places.models import Facility

__all__ = ["ServiceWait", "estimate_wait", "estimated_waits", "service_wait_summary"]


@dataclass(frozen=True)
class ServiceWait:
    """A walk-in service of a facility: how many wait, and how long a newcomer would."""

    service: CounterService
    waiting: int
    #: None when no open counter offers the service now.
    estimated_wait: dt.timedelta | None


def estimated_waits(
    facility: Facility, *, now: dt.datetime | None = None
) -> dict[int, dt.timedelta]:
    """The estimated wait of every waiting visit of `facility`, keyed by visit id.

    A visit whose service no open counter offers has no entry.
    """

    rule = queue_call_rule(queue_rules())
    return simulate(read_facility_queue(facility, now=now).snapshot, rule=rule)


def estimate_wait(visit: Visit, *, now: dt.datetime | None = None) -> dt.timedelta | None:
    """How long `visit` should still wait to be called: zero once called, None when it is not
    in the queue or no open counter offers its service."""

    if visit.status in (Visit.Status.CALLED, Visit.Status.SERVING):
        return dt.timedelta(0)
    if visit.status != Visit.Status.WAITING:
        return None
    return estimated_waits(visit.facility, now=now).get(visit.id)


def service_wait_summary(
    facility: Facility, *, now: dt.datetime | None = None
) -> list[ServiceWait]:
    """Per active walk-in service offered at `facility`: waiting count and a newcomer's wait."""

    facility_queue = read_facility_queue(facility, now=now)
    rule = queue_call_rule(queue_rules())
    services = (
        CounterService.objects.filter(
            counters__facility=facility,
            is_active=True,
            access__in=[CounterService.Access.WALK_IN, CounterService.Access.BOTH],
        )
        .distinct()
        .order_by("code")
    )
    return [
        ServiceWait(
            service=service,
            waiting=facility_queue.waiting_by_service.get(service.pk, 0),
            estimated_wait=wait_for_newcomer(facility_queue.snapshot, service.pk, rule=rule),
        )
        for service in services
    ]
