"""Calling visits to a counter: call next, and call the same person again (recall).

Call next picks, among the waiting visits of today that the counter may take (a service it
offers, or a visit transferred to this very counter), the first in call order (rules.py). Each
candidate is claimed with `SELECT … FOR UPDATE SKIP LOCKED`: a visit another counter is
claiming at the same moment is skipped, so two counters never call the same visit.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.appointments.models import Counter, Visit
from cityhall.appointments.services_queue.common import (
    AT_COUNTER,
    audit,
    locked,
    on_duty,
    queue_moved,
)
from cityhall.appointments.services_queue.errors import CounterBusy, VisitNotChangeable
from cityhall.appointments.services_queue.rules import call_order, local_day, queue_rules


def _candidates(counter: Counter, day: dt.date) -> list[Visit]:
    services = list(counter.services.values_list("id", flat=True))
    return list(
        Visit.objects.filter(facility_id=counter.facility_id, day=day, status=Visit.Status.WAITING)
        .filter(Q(service_id__in=services, counter__isnull=True) | Q(counter=counter))
        .select_related("facility", "service")
    )


def call_next(*, counter: Counter, actor: User, now: dt.datetime | None = None) -> Visit | None:
    """Call the next visit to `counter`; None when nobody waits for it.

    `actor` must be on duty at the counter (NotOnDuty), and the counter free (CounterBusy).
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            on_duty(counter=counter, staff=actor)
            if Visit.objects.filter(counter=counter, status__in=AT_COUNTER).exists():
                raise CounterBusy
            for candidate in call_order(_candidates(counter, local_day(now)), queue_rules()):
                claimed = (
                    Visit.objects.select_for_update(skip_locked=True)
                    .filter(pk=candidate.pk, status=Visit.Status.WAITING)
                    .first()
                )
                if claimed is None:
                    continue  # another counter is calling it right now
                candidate.status, candidate.counter = Visit.Status.CALLED, counter
                candidate.called_at, candidate.called_by = now, actor
                candidate.times_called = 1
                candidate.save(
                    update_fields=[
                        "status",
                        "counter",
                        "called_at",
                        "called_by",
                        "times_called",
                        "updated_at",
                    ]
                )
                audit(candidate, "called", actor=actor, counter=counter.label)
                queue_moved(candidate)
                return candidate
    except IntegrityError:
        # The same counter called twice at once (a double click): one call stands.
        raise CounterBusy from None
    return None


@transaction.atomic
def recall_visit(*, visit: Visit, actor: User) -> Visit:
    """Call a called visit again (the display shows its number anew)."""
    visit = locked(visit)
    if visit.status != Visit.Status.CALLED or visit.counter is None:
        raise VisitNotChangeable
    on_duty(counter=visit.counter, staff=actor)
    visit.times_called += 1
    visit.save(update_fields=["times_called", "updated_at"])
    audit(visit, "recalled", actor=actor, counter=visit.counter.label)
    return visit
