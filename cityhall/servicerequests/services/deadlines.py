"""Due dates: staff moving one with a reason, and the SLA warning and escalation sweep.

The sweep warns the assignee (or, for an unassigned request, the department's agents) once
80% of the time between submission and the due date has elapsed, and tells the department's
supervisors once the due date has passed. Each mark is claimed with a conditional UPDATE
before anyone is told, so two schedulers racing tell people once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import StaffRole, User
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import Conflict, InvalidInput
from cityhall.servicerequests.access import require_staff_access
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.notices import tell_staff_about_sla
from cityhall.servicerequests.selectors import staff_of_department, staff_to_tell

#: Share of the SLA window after which the assignee is warned (the queue's "due soon").
WARNING_SHARE = 0.8
#: Longest reason kept for a moved due date (the citizen reads it on the status page).
REASON_MAX_LENGTH = 300

Role = StaffRole.Role


@transaction.atomic
def move_due_date(
    *, service_request: ServiceRequest, actor: User, due_at: datetime, reason: str
) -> ServiceRequest:
    """Set a new due date with the reason the citizen will read beside it.

    The SLA warning and escalation marks are cleared, so that the new date is watched again.
    Raises NotFound when `actor` may not handle the request, InvalidInput (`due_at`, `reason`)
    for a date in the past or a missing reason, Conflict for a settled request.
    """
    require_staff_access(actor, service_request)
    errors: dict[str, list[str]] = {}
    reason = reason.strip()
    if due_at <= timezone.now():
        errors["due_at"] = [_("Choose a date and time in the future.")]
    if not reason:
        errors["reason"] = [_("Say why the date changes; the citizen will read it.")]
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = [_("Keep the reason under 300 characters.")]
    if errors:
        raise InvalidInput(fields=errors)
    if not service_request.is_open:
        raise Conflict(_("The due date of a settled request cannot change."))
    previous = service_request.due_at
    service_request.due_at, service_request.due_change_reason = due_at, reason
    service_request.sla_warned_at = service_request.sla_escalated_at = None
    service_request.save(
        update_fields=[
            "due_at",
            "due_change_reason",
            "sla_warned_at",
            "sla_escalated_at",
            "updated_at",
        ]
    )
    record_audit_event(
        actor=actor,
        action=ServiceRequestAuditAction.DUE_DATE_MOVED,
        target=service_request,
        data={
            "from": previous.isoformat() if previous else None,
            "to": due_at.isoformat(),
        },
    )
    return service_request


@dataclass(frozen=True)
class SlaSweep:
    """How many requests the sweep warned about and escalated."""

    warned: int
    escalated: int


def warn_and_escalate(*, now: datetime | None = None) -> SlaSweep:
    """Warn about requests at 80% of their SLA and escalate breached ones, each once."""
    now = now or timezone.now()
    watched = ServiceRequest.objects.filter(
        status__in=sorted(ServiceRequest.OPEN_STATUSES), due_at__isnull=False
    ).order_by("id")
    escalated = sum(
        _escalate(pk, now)
        for pk in watched.filter(due_at__lte=now, sla_escalated_at__isnull=True).values_list(
            "id", flat=True
        )
    )
    # The 80% mark is worked out in Python: a share of a duration is not portable between
    # SQLite and PostgreSQL. Only open, unwarned requests not yet due are read.
    candidates = watched.filter(due_at__gt=now, sla_warned_at__isnull=True).values_list(
        "id", "created_at", "due_at"
    )
    warned = sum(
        _warn(pk, now)
        for pk, created_at, due_at in candidates
        if due_at is not None and now - created_at >= (due_at - created_at) * WARNING_SHARE
    )
    return SlaSweep(warned=warned, escalated=escalated)


def _claim(pk: int, mark: str, now: datetime) -> ServiceRequest | None:
    """Set `mark` if nobody has; the request when this call won it, else None."""
    claimed = ServiceRequest.objects.filter(
        pk=pk, status__in=sorted(ServiceRequest.OPEN_STATUSES), **{f"{mark}__isnull": True}
    ).update(**{mark: now})
    if not claimed:
        return None
    return ServiceRequest.objects.select_related("service", "assignee").get(pk=pk)


@transaction.atomic
def _warn(pk: int, now: datetime) -> bool:
    service_request = _claim(pk, "sla_warned_at", now)
    if service_request is None:
        return False
    staff = staff_to_tell(service_request)
    tell_staff_about_sla(service_request, staff=staff, breached=False)
    record_audit_event(
        actor=None,
        action=ServiceRequestAuditAction.SLA_WARNED,
        target=service_request,
        data={"told": len(staff)},
    )
    return True


@transaction.atomic
def _escalate(pk: int, now: datetime) -> bool:
    service_request = _claim(pk, "sla_escalated_at", now)
    if service_request is None:
        return False
    staff = list(
        staff_of_department(department_id=service_request.department_id, roles={Role.SUPERVISOR})
    )
    tell_staff_about_sla(service_request, staff=staff, breached=True)
    record_audit_event(
        actor=None,
        action=ServiceRequestAuditAction.SLA_ESCALATED,
        target=service_request,
        data={"told": len(staff)},
    )
    return True
