"""A filed request's life: status changes, assignment, merging duplicates, followers."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import Conflict, InvalidInput, NotFound
from cityhall.servicerequests.access import require_staff_access, staff_may_handle
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.events import (
    service_request_assigned,
    service_request_status_changed,
)
from cityhall.servicerequests.models import Follower, ServiceRequest, StatusChange
from cityhall.servicerequests.tasks import send_status_update

Status = ServiceRequest.Status

#: Status changes staff may make. DUPLICATE is reached only through `merge_duplicate`.
STAFF_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset({Status.ACKNOWLEDGED, Status.REJECTED}),
    Status.ACKNOWLEDGED: frozenset({Status.IN_PROGRESS, Status.REJECTED}),
    Status.IN_PROGRESS: frozenset({Status.ON_HOLD, Status.RESOLVED, Status.REJECTED}),
    Status.ON_HOLD: frozenset({Status.IN_PROGRESS, Status.REJECTED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
}
#: The reporter may reopen a resolved or closed request for this long after it was settled.
REOPEN_WINDOW = timedelta(days=14)


@transaction.atomic
def change_service_request_status(
    *,
    service_request: ServiceRequest,
    actor: User,
    to_status: str,
    public_note: str = "",
    internal_note: str = "",
) -> StatusChange:
    """Move the request to `to_status` and add the step to its timeline.

    Staff of the request's department follow STAFF_TRANSITIONS; the reporter may only reopen
    (to in progress) within REOPEN_WINDOW of resolution or closure. Raises NotFound for an
    actor who may not handle the request, Conflict for a transition the table refuses.
    The reporter is told after commit.
    """
    locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
    now = timezone.now()
    _check_transition(locked, actor, to_status, now)
    step = _apply_status(
        locked, actor=actor, to_status=to_status, notes=(public_note, internal_note), now=now
    )
    _refresh(service_request, locked)
    return step


def _check_transition(
    service_request: ServiceRequest, actor: User, to_status: str, now: datetime
) -> None:
    if staff_may_handle(actor, service_request):
        if to_status not in STAFF_TRANSITIONS.get(service_request.status, frozenset()):
            raise Conflict(_("A request cannot move from this status to that one."))
        return
    if service_request.reporter_id is None or service_request.reporter_id != actor.pk:
        raise NotFound
    settled_at = service_request.closed_at or service_request.resolved_at
    is_settled = service_request.status in {Status.RESOLVED, Status.CLOSED}
    if not (is_settled and to_status == Status.IN_PROGRESS and settled_at is not None):
        raise Conflict(_("Only a resolved or closed request can be reopened."))
    if now - settled_at > REOPEN_WINDOW:
        raise Conflict(_("This request was closed too long ago to be reopened."))


def _apply_status(
    service_request: ServiceRequest,
    *,
    actor: User,
    to_status: str,
    notes: tuple[str, str],
    now: datetime,
) -> StatusChange:
    from_status = service_request.status
    service_request.status = to_status
    if to_status == Status.RESOLVED:
        service_request.resolved_at = now
    elif to_status == Status.CLOSED:
        service_request.closed_at = now
    elif to_status == Status.IN_PROGRESS:
        service_request.resolved_at = service_request.closed_at = None
    service_request.save(update_fields=["status", "resolved_at", "closed_at", "updated_at"])
    step = StatusChange.objects.create(
        service_request=service_request,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        public_note=notes[0].strip(),
        internal_note=notes[1].strip(),
    )
    record_audit_event(
        actor=actor,
        action=ServiceRequestAuditAction.STATUS_CHANGED,
        target=service_request,
        data={"from": from_status, "to": to_status},
    )
    service_request_status_changed.send(
        sender=ServiceRequest, service_request=service_request, actor=actor, step=step
    )
    transaction.on_commit(partial(send_status_update.enqueue, step.id))
    return step


def _refresh(stale: ServiceRequest, fresh: ServiceRequest) -> None:
    """Give the caller's object the values just written, as if it had been reloaded."""
    for name in ("status", "resolved_at", "closed_at", "duplicate_of_id", "assignee_id"):
        setattr(stale, name, getattr(fresh, name))
    stale.updated_at = fresh.updated_at


@transaction.atomic
def assign_service_request(
    *, service_request: ServiceRequest, actor: User, assignee: User | None
) -> ServiceRequest:
    """Give the request to `assignee` (None takes it back to the department's pool).

    Raises NotFound when `actor` may not handle the request, InvalidInput (`assignee`) when
    the assignee does not work in the request's department.
    """
    require_staff_access(actor, service_request)
    if assignee is not None and not staff_may_handle(assignee, service_request):
        raise InvalidInput(
            fields={"assignee": [_("This person does not work in the request's department.")]}
        )
    service_request.assignee = assignee
    service_request.save(update_fields=["assignee", "updated_at"])
    record_audit_event(
        actor=actor,
        action=ServiceRequestAuditAction.ASSIGNED,
        target=service_request,
        data={"assignee": str(assignee.public_id) if assignee is not None else None},
    )
    service_request_assigned.send(
        sender=ServiceRequest,
        service_request=service_request,
        actor=actor,
        assignee=assignee,
        partner=service_request.assigned_partner,
    )
    return service_request


@transaction.atomic
def merge_duplicate(
    *, duplicate: ServiceRequest, original: ServiceRequest, actor: User
) -> ServiceRequest:
    """Mark `duplicate` as a duplicate of `original`, whose followers its own people join.

    Requests already merged into `duplicate` are pointed at `original`. Raises NotFound when
    `actor` may not handle both, Conflict when `duplicate` is not open, is `original`, or
    `original` is itself a duplicate.
    """
    require_staff_access(actor, duplicate)
    require_staff_access(actor, original)
    locked = ServiceRequest.objects.select_for_update().get(pk=duplicate.pk)
    if locked.pk == original.pk or original.status == Status.DUPLICATE or not locked.is_open:
        raise Conflict(_("These requests cannot be merged."))
    from_status = locked.status
    locked.status, locked.duplicate_of = Status.DUPLICATE, original
    locked.save(update_fields=["status", "duplicate_of", "updated_at"])
    ServiceRequest.objects.filter(duplicate_of=locked).update(duplicate_of=original)
    _move_followers(locked, original)
    step = StatusChange.objects.create(
        service_request=locked, actor=actor, from_status=from_status, to_status=Status.DUPLICATE
    )
    record_audit_event(
        actor=actor,
        action=ServiceRequestAuditAction.MERGED_AS_DUPLICATE,
        target=locked,
        data={"original": str(original.public_id)},
    )
    service_request_status_changed.send(
        sender=ServiceRequest, service_request=locked, actor=actor, step=step
    )
    transaction.on_commit(partial(send_status_update.enqueue, step.id))
    _refresh(duplicate, locked)
    return duplicate


def _move_followers(duplicate: ServiceRequest, original: ServiceRequest) -> None:
    user_ids = set(
        Follower.objects.filter(service_request=duplicate).values_list("user_id", flat=True)
    )
    if duplicate.reporter_id is not None:
        user_ids.add(duplicate.reporter_id)
    user_ids.discard(original.reporter_id)
    already = set(
        Follower.objects.filter(service_request=original).values_list("user_id", flat=True)
    )
    Follower.objects.bulk_create(
        Follower(service_request=original, user_id=user_id) for user_id in user_ids - already
    )
    Follower.objects.filter(service_request=duplicate).delete()


@transaction.atomic
def follow_service_request(
    *, service_request: ServiceRequest, user: User | AnonymousUser
) -> Follower:
    """Have `user` told about the request's progress; following twice changes nothing.

    Raises NotFound for a request of a sensitive service the user did not file, and
    InvalidInput for an anonymous visitor.
    """
    if not isinstance(user, User) or not user.is_authenticated:
        raise InvalidInput(fields={"user": [_("Sign in to follow a request.")]})
    if service_request.service.is_sensitive and service_request.reporter_id != user.pk:
        raise NotFound
    follower, created = Follower.objects.get_or_create(service_request=service_request, user=user)
    if created:
        record_audit_event(
            actor=user, action=ServiceRequestAuditAction.FOLLOWED, target=service_request
        )
    return follower
