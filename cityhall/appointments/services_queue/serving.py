"""At the counter: start serving a called visit, finish it, mark a no-show, or transfer it.

Each step needs the staff member on duty at the visit's counter. A transfer ends the visit
(status "transferred") and starts a new one for another service or counter that keeps the
number, the arrival time and the appointment time, so the person keeps their place in the
fair order; the holder's live page follows (the token moves to the new visit).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.appointments.models import (
    OPEN_VISIT_STATUSES,
    Counter,
    CounterService,
    Visit,
)
from cityhall.appointments.models.visits import new_visit_token
from cityhall.appointments.services_queue.common import (
    audit,
    locked,
    offered_at,
    on_duty,
    queue_moved,
)
from cityhall.appointments.services_queue.errors import VisitNotChangeable
from cityhall.core.errors import InvalidInput


def _at_own_counter(visit: Visit, actor: User, status: str) -> Visit:
    """`visit` locked, checked to be in `status` at a counter where `actor` is on duty."""
    visit = locked(visit)
    if visit.status != status or visit.counter is None:
        raise VisitNotChangeable
    on_duty(counter=visit.counter, staff=actor)
    return visit


@transaction.atomic
def start_serving(*, visit: Visit, actor: User, now: dt.datetime | None = None) -> Visit:
    """The called person came to the counter: their service starts."""
    visit = _at_own_counter(visit, actor, Visit.Status.CALLED)
    visit.status, visit.serving_started_at = Visit.Status.SERVING, now or timezone.now()
    visit.save(update_fields=["status", "serving_started_at", "updated_at"])
    audit(visit, "serving", actor=actor)
    return visit


@transaction.atomic
def finish_visit(*, visit: Visit, actor: User, now: dt.datetime | None = None) -> Visit:
    """The person was served; the counter is free for the next."""
    visit = _at_own_counter(visit, actor, Visit.Status.SERVING)
    visit.status, visit.finished_at = Visit.Status.SERVED, now or timezone.now()
    visit.save(update_fields=["status", "finished_at", "updated_at"])
    audit(visit, "served", actor=actor)
    return visit


@transaction.atomic
def mark_no_show(*, visit: Visit, actor: User, now: dt.datetime | None = None) -> Visit:
    """The called person did not come; the counter is free for the next."""
    visit = _at_own_counter(visit, actor, Visit.Status.CALLED)
    visit.status, visit.finished_at = Visit.Status.NO_SHOW, now or timezone.now()
    visit.save(update_fields=["status", "finished_at", "updated_at"])
    audit(visit, "no_show", actor=actor)
    return visit


def _check_target(visit: Visit, service: CounterService, counter: Counter | None) -> None:
    if counter is None and service.pk == visit.service_id:
        raise InvalidInput(fields={"service": [_("Choose another service or a counter.")]})
    if counter is not None and counter.pk == visit.counter_id and service.pk == visit.service_id:
        raise InvalidInput(fields={"counter": [_("Choose another service or a counter.")]})
    if not offered_at(service, visit.facility):
        raise InvalidInput(fields={"service": [_("This service is not offered here.")]})
    if counter is not None and (
        counter.facility_id != visit.facility_id
        or not counter.services.filter(pk=service.pk).exists()
    ):
        raise InvalidInput(fields={"counter": [_("That counter does not offer this service.")]})


@transaction.atomic
def transfer_visit(
    *,
    visit: Visit,
    actor: User,
    service: CounterService | None = None,
    counter: Counter | None = None,
    now: dt.datetime | None = None,
) -> Visit:
    """Send an open visit to another service, or to a given counter; returns the new visit.

    Raises VisitNotChangeable once the visit has ended, InvalidInput when the target is the
    same or does not offer the service.
    """
    now = now or timezone.now()
    visit = locked(visit)
    if visit.status not in OPEN_VISIT_STATUSES:
        raise VisitNotChangeable
    if visit.counter is not None and visit.status != Visit.Status.WAITING:
        on_duty(counter=visit.counter, staff=actor)
    target_service = service or visit.service
    _check_target(visit, target_service, counter)
    token = visit.token
    visit.status, visit.finished_at, visit.token = Visit.Status.TRANSFERRED, now, new_visit_token()
    visit.save(update_fields=["status", "finished_at", "token", "updated_at"])
    moved = Visit.objects.create(
        facility=visit.facility,
        service=target_service,
        day=visit.day,
        number=visit.number,
        kind=visit.kind,
        needs_priority=visit.needs_priority,
        channel=visit.channel,
        citizen=visit.citizen,
        contact_email=visit.contact_email,
        contact_phone=visit.contact_phone,
        language=visit.language,
        joined_at=visit.joined_at,
        due_at=visit.due_at,
        counter=counter,
        transferred_from=visit,
        token=token,
    )
    audit(
        visit,
        "transferred",
        actor=actor,
        to_service=target_service.code,
        to_counter=counter.label if counter is not None else "",
    )
    queue_moved(visit)
    queue_moved(moved)
    return moved
