"""What the queue's services share: locking a visit, its audit line, and what follows a change."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from cityhall.appointments.models import Counter, CounterService, CounterSession, Visit
from cityhall.appointments.services_queue.errors import NotOnDuty
from cityhall.appointments.services_queue.nearly_next import send_nearly_next_notices
from cityhall.core.audit import record_audit_event
from cityhall.places.models import Facility

#: The statuses of a visit that occupies its counter.
AT_COUNTER = (Visit.Status.CALLED, Visit.Status.SERVING)


def locked(visit: Visit) -> Visit:
    """`visit` read again under a row lock, for a change in the current transaction."""
    return (
        Visit.objects.select_for_update(of=("self",))
        .select_related("facility", "service", "counter")
        .get(pk=visit.pk)
    )


def audit(visit: Visit, action: str, *, actor: AbstractBaseUser | None, **extra: str) -> None:
    """One audit line for a step of `visit`: no personal data, only the ticket and where."""
    record_audit_event(
        actor=actor,
        action=f"queue.{action}",
        target=visit,
        data={
            "facility": str(visit.facility.public_id),
            "service": visit.service.code,
            "number": visit.number,
            **extra,
        },
    )


def on_duty(*, counter: Counter, staff: AbstractBaseUser) -> CounterSession:
    """The open session of `staff` at `counter`, or NotOnDuty."""
    session = CounterSession.objects.filter(
        counter=counter, staff_id=staff.pk, closed_at__isnull=True
    ).first()
    if session is None:
        raise NotOnDuty
    return session


def offered_at(service: CounterService, facility: Facility) -> bool:
    """Whether some counter of `facility` offers `service`."""
    return Counter.objects.filter(facility=facility, services=service).exists()


def queue_moved(visit: Visit) -> None:
    """After commit, tell whoever has become nearly next in `visit`'s service queue."""
    transaction.on_commit(
        partial(send_nearly_next_notices.enqueue, visit.facility_id, visit.service_id)
    )
