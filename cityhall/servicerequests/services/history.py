"""Importing requests that were handled elsewhere or earlier, with their own dates and timeline.

Each record is validated like a new submission (service, reporter, description, answers,
location), then stored with its historical creation time and the steps it went through.
No email is sent and no duplicate candidates are computed: the history is already settled.
For the same reason a request imported late in its SLA is marked as already warned, and one
imported past its due date as already escalated, so the next SLA sweep tells nobody about the
past. One audit line covers each batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import PartnerOrganisation, User
from cityhall.catalog.answers import clean_answers
from cityhall.catalog.models import Service
from cityhall.catalog.selectors import route_service_request_target
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import InvalidInput
from cityhall.servicerequests.models import ServiceRequest, StatusChange
from cityhall.servicerequests.services.deadlines import WARNING_SHARE
from cityhall.servicerequests.services.intake import (
    Contact,
    Location,
    description_problem,
    location_problem,
    place_of,
    reporter_problem,
)
from cityhall.servicerequests.services.lifecycle import STAFF_TRANSITIONS
from cityhall.servicerequests.services.numbering import next_tracking_number
from cityhall.servicerequests.sla import due_at

Status = ServiceRequest.Status

HISTORY_IMPORTED = "servicerequests.history_imported"
HISTORY_DELETED = "servicerequests.history_deleted"
BATCH_SIZE = 500


@dataclass(frozen=True)
class HistoricalStep:
    """One step after submission: the status reached, when, and the note the reporter saw."""

    to_status: str
    at: datetime
    public_note: str = ""


@dataclass(frozen=True)
class HistoricalServiceRequest:
    """A request as it was filed at `created_at`, and the steps it went through since.

    `duplicate_of` is the index, in the same batch, of an earlier record this one was merged
    into; it is required exactly when the last step is DUPLICATE. `assigned_partner` is the
    (active) partner organisation the request was handed to.
    """

    reporter: User | None
    service: Service
    description: str
    answers: dict[str, Any]
    location: Location | None
    address_text: str
    channel: ServiceRequest.Channel
    created_at: datetime
    steps: tuple[HistoricalStep, ...] = field(default=())
    duplicate_of: int | None = None
    assigned_partner: PartnerOrganisation | None = None
    #: How to reach the person, as taken down when the request was filed (by phone, say).
    contact: Contact = field(default_factory=Contact)


@transaction.atomic
def import_historical_service_requests(
    *, records: Sequence[HistoricalServiceRequest], actor: User | None
) -> list[ServiceRequest]:
    """Store `records` with their historical dates and timelines; return the requests in order.

    Raises InvalidInput (fields named `<index>.<field>`) when any record would be refused at
    submission, when its steps are not a path STAFF_TRANSITIONS allows, are not in time
    order after `created_at`, lie in the future, or when `duplicate_of` is wrong. Nothing is
    stored unless every record is valid. `actor` None stands for the operator.
    """
    now = timezone.now()
    fields_cache: dict[int, list[Any]] = {}
    errors: dict[str, list[str]] = {}
    for index, record in enumerate(records):
        problems = _record_problems(record, index, now, fields_cache)
        errors.update({f"{index}.{name}": [problem] for name, problem in problems.items()})
    if errors:
        raise InvalidInput(fields=errors)
    requests = [_build(record, fields_cache, now) for record in records]
    _insert(requests, records)
    _insert_timelines(requests, records)
    record_audit_event(actor=actor, action=HISTORY_IMPORTED, data={"count": len(requests)})
    return requests


def _record_problems(
    record: HistoricalServiceRequest, index: int, now: datetime, fields_cache: dict[int, Any]
) -> dict[str, str]:
    fields = fields_cache.setdefault(
        record.service.pk, list(record.service.fields.prefetch_related("choices"))
    )
    problems: dict[str, str] = {}
    try:
        clean_answers(service=record.service, answers=record.answers, fields=fields)
    except InvalidInput as error:
        problems.update({f"answers.{code}": msgs[0] for code, msgs in error.fields.items()})
    checks = {
        "reporter": reporter_problem(record.reporter, record.service, record.contact),
        "description": description_problem(record.description.strip()),
        "location": location_problem(record.service, record.location),
        "steps": _steps_problem(record, now),
        "duplicate_of": _duplicate_problem(record, index),
        "assigned_partner": _partner_problem(record),
    }
    problems.update({name: problem for name, problem in checks.items() if problem})
    return problems


def _steps_problem(record: HistoricalServiceRequest, now: datetime) -> str | None:
    status: str = Status.SUBMITTED
    previous = record.created_at
    if previous > now:
        return _("A historical request cannot be dated in the future.")
    for step in record.steps:
        allowed = STAFF_TRANSITIONS.get(status, frozenset())
        is_merge = step.to_status == Status.DUPLICATE and status in ServiceRequest.OPEN_STATUSES
        if step.to_status not in allowed and not is_merge:
            return _("A request cannot move from this status to that one.")
        if not previous < step.at <= now:
            return _("Steps must follow one another in time, after the request, until now.")
        status, previous = step.to_status, step.at
    return None


def _duplicate_problem(record: HistoricalServiceRequest, index: int) -> str | None:
    is_duplicate = bool(record.steps) and record.steps[-1].to_status == Status.DUPLICATE
    if is_duplicate != (record.duplicate_of is not None):
        return _("Give the original exactly when the request ends as a duplicate.")
    if record.duplicate_of is not None and not 0 <= record.duplicate_of < index:
        return _("The original must be an earlier record of the same batch.")
    return None


def _partner_problem(record: HistoricalServiceRequest) -> str | None:
    partner = record.assigned_partner
    if partner is not None and not partner.is_active:
        return _("This partner organisation is not active.")
    return None


def _build(
    record: HistoricalServiceRequest, fields_cache: dict[int, Any], now: datetime
) -> ServiceRequest:
    answers = clean_answers(
        service=record.service, answers=record.answers, fields=fields_cache[record.service.pk]
    )
    service_request = ServiceRequest(
        tracking_number=next_tracking_number(timezone.localtime(record.created_at)),
        service=record.service,
        reporter=record.reporter,
        contact_name=record.contact.name.strip(),
        contact_email=record.contact.email.strip(),
        contact_phone=record.contact.phone.strip(),
        description=record.description.strip(),
        answers=answers,
        address_text=record.address_text.strip(),
        channel=record.channel,
        due_at=due_at(service=record.service, submitted_at=record.created_at),
        assigned_partner=record.assigned_partner,
        followed_up_at=now,  # filed elsewhere: no duplicates to note now, nobody to confirm to
    )
    if record.location is not None:
        place_of(service_request, record.location)
    service_request.department = route_service_request_target(
        record.service, district=service_request.district, answers=answers
    )
    service_request.status = record.steps[-1].to_status if record.steps else Status.SUBMITTED
    for step in record.steps:
        if step.to_status == Status.RESOLVED:
            service_request.resolved_at = step.at
        elif step.to_status == Status.CLOSED:
            service_request.closed_at = step.at
        elif step.to_status == Status.IN_PROGRESS:
            service_request.resolved_at = service_request.closed_at = None
    _mark_past_sla_notices(service_request, submitted_at=record.created_at, now=now)
    return service_request


def _mark_past_sla_notices(
    service_request: ServiceRequest, *, submitted_at: datetime, now: datetime
) -> None:
    """Count the SLA notices an open request would have had by `now` as sent."""
    deadline = service_request.due_at
    if deadline is None or not service_request.is_open:
        return
    if now - submitted_at >= (deadline - submitted_at) * WARNING_SHARE:
        service_request.sla_warned_at = now
    if deadline <= now:
        service_request.sla_escalated_at = now


def _insert(requests: list[ServiceRequest], records: Sequence[HistoricalServiceRequest]) -> None:
    """Originals first, so that duplicates can point at them when inserted."""
    pairs = list(zip(requests, records, strict=True))
    originals = [sr for sr, record in pairs if record.duplicate_of is None]
    ServiceRequest.objects.bulk_create(originals, batch_size=BATCH_SIZE)
    duplicates = []
    for service_request, record in zip(requests, records, strict=True):
        if record.duplicate_of is not None:
            service_request.duplicate_of = requests[record.duplicate_of]
            duplicates.append(service_request)
    ServiceRequest.objects.bulk_create(duplicates, batch_size=BATCH_SIZE)
    # auto_now_add overwrites creation times on insert; bulk_update writes them as given.
    for service_request, record in zip(requests, records, strict=True):
        service_request.created_at = record.created_at
        service_request.updated_at = record.steps[-1].at if record.steps else record.created_at
    ServiceRequest.objects.bulk_update(
        requests, ["created_at", "updated_at"], batch_size=BATCH_SIZE
    )


def _insert_timelines(
    requests: list[ServiceRequest], records: Sequence[HistoricalServiceRequest]
) -> None:
    steps: list[StatusChange] = []
    times: list[datetime] = []
    for service_request, record in zip(requests, records, strict=True):
        steps.append(
            StatusChange(
                service_request=service_request,
                actor=record.reporter,
                to_status=Status.SUBMITTED,
            )
        )
        times.append(record.created_at)
        from_status: str = Status.SUBMITTED
        for step in record.steps:
            steps.append(
                StatusChange(
                    service_request=service_request,
                    from_status=from_status,
                    to_status=step.to_status,
                    public_note=step.public_note.strip(),
                )
            )
            times.append(step.at)
            from_status = step.to_status
    StatusChange.objects.bulk_create(steps, batch_size=BATCH_SIZE)
    for step_row, at in zip(steps, times, strict=True):
        step_row.created_at = step_row.updated_at = at
    StatusChange.objects.bulk_update(steps, ["created_at", "updated_at"], batch_size=BATCH_SIZE)


@transaction.atomic
def delete_historical_service_requests(
    *, tracking_numbers: Sequence[str], actor: User | None
) -> int:
    """Delete the requests with these tracking numbers and their timelines; return how many.

    Duplicates go before the requests they were merged into. One audit line covers the batch.
    """
    deleted = 0
    for start in range(0, len(tracking_numbers), BATCH_SIZE):
        batch = list(tracking_numbers[start : start + BATCH_SIZE])
        in_batch = ServiceRequest.objects.filter(tracking_number__in=batch)
        deleted += (
            in_batch.filter(duplicate_of__isnull=False)
            .delete()[1]
            .get(ServiceRequest._meta.label, 0)
        )
    for start in range(0, len(tracking_numbers), BATCH_SIZE):
        batch = list(tracking_numbers[start : start + BATCH_SIZE])
        deleted += (
            ServiceRequest.objects.filter(tracking_number__in=batch)
            .delete()[1]
            .get(ServiceRequest._meta.label, 0)
        )
    record_audit_event(actor=actor, action=HISTORY_DELETED, data={"count": deleted})
    return deleted
