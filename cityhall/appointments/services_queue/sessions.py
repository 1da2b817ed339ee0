"""Staff on duty: opening and closing a session at a counter (so "counters open" is known).

One open session per counter and per staff member (database constraints). Opening a session
at another counter closes the one left open; closing is refused while a visit is called or
being served at the counter.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.appointments.models import Counter, CounterSession, Visit
from cityhall.appointments.services_queue.common import AT_COUNTER
from cityhall.appointments.services_queue.errors import CounterBusy, CounterTaken
from cityhall.core.audit import record_audit_event


def _audit(session: CounterSession, action: str, actor: User) -> None:
    record_audit_event(
        actor=actor,
        action=f"queue.{action}",
        target=session.counter,
        data={
            "facility": str(session.counter.facility.public_id),
            "counter": session.counter.label,
        },
    )


def open_counter_session(
    *, counter: Counter, staff: User, now: dt.datetime | None = None
) -> CounterSession:
    """Put `staff` on duty at `counter`; opening twice returns the open session.

    Raises CounterTaken when someone else is on duty there.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            current = (
                CounterSession.objects.select_for_update()
                .filter(staff_id=staff.pk, closed_at__isnull=True)
                .select_related("counter__facility")
                .first()
            )
            if current is not None and current.counter_id == counter.pk:
                return current
            if current is not None:
                _close(current, actor=staff, now=now)
            if CounterSession.objects.filter(counter=counter, closed_at__isnull=True).exists():
                raise CounterTaken
            session = CounterSession.objects.create(counter=counter, staff=staff, opened_at=now)
            _audit(session, "session_opened", staff)
    except IntegrityError:
        raise CounterTaken from None
    return session


@transaction.atomic
def close_counter_session(
    *, session: CounterSession, actor: User, now: dt.datetime | None = None
) -> CounterSession:
    """End a session; closing twice changes nothing. Raises CounterBusy while someone is
    called or served at the counter."""
    now = now or timezone.now()
    session = (
        CounterSession.objects.select_for_update()
        .select_related("counter__facility")
        .get(pk=session.pk)
    )
    if session.closed_at is None:
        _close(session, actor=actor, now=now)
    return session


def _close(session: CounterSession, *, actor: User, now: dt.datetime) -> None:
    busy = Visit.objects.filter(counter_id=session.counter_id, status__in=AT_COUNTER).exists()
    if busy:
        raise CounterBusy
    session.closed_at = now
    session.save(update_fields=["closed_at"])
    _audit(session, "session_closed", actor)
