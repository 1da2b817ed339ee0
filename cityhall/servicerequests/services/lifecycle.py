"""A filed request's life: status changes, public updates, merging and splitting duplicates,
following and unfollowing. Assignment lives in `assignment.py`, due dates and SLA notices in
`deadlines.py`."""

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
from cityhall.servicerequests.access import (
    Actor,
    acting_person,
    audit_details,
    partner_may_work_on,
    require_handler_access,
    require_staff_access,
    staff_may_handle,
)
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.events import service_request_status_changed
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
#: Status changes a member of the assigned partner organisation may make: start and finish.
PARTNER_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset({Status.IN_PROGRESS}),
    Status.ACKNOWLEDGED: frozenset({Status.IN_PROGRESS}),
    Status.ON_HOLD: frozenset({Status.IN_PROGRESS}),
    Status.IN_PROGRESS: frozenset({Status.RESOLVED}),
}
#: The reporter may reopen a resolved or closed request for this long after it was settled.
REOPEN_WINDOW = timedelta(days=14)


@transaction.atomic
def change_service_request_status(
    *,
    service_request: ServiceRequest,
    actor: Actor,
    to_status: str,
    public_note: str = "",
    internal_note: str = "",
) -> StatusChange:
    """Move the request to `to_status` and add the step to its timeline.

    Staff of the request's department follow STAFF_TRANSITIONS, the assigned partner (a
    member, or an API key of the organisation) PARTNER_TRANSITIONS; the reporter may only
    reopen (to in progress) within REOPEN_WINDOW of resolution or closure. Raises NotFound for
    an actor who may not handle the request, Conflict for a transition the table refuses. The
    reporter and followers are told after commit.
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
    service_request: ServiceRequest, actor: Actor, to_status: str, now: datetime
) -> None:
    if staff_may_handle(actor, service_request):
        if to_status not in STAFF_TRANSITIONS.get(service_request.status, frozenset()):
            raise Conflict(_("A request cannot move from this status to that one."))
        return
    if partner_may_work_on(actor, service_request):
        if to_status not in PARTNER_TRANSITIONS.get(service_request.status, frozenset()):
            raise Conflict(_("A request cannot move from this status to that one."))
        return
    person = acting_person(actor)
    if person is None or service_request.reporter_id != person.pk:
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
    actor: Actor,
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
        actor=acting_person(actor),
        from_status=from_status,
        to_status=to_status,
        public_note=notes[0].strip(),
        internal_note=notes[1].strip(),
    )
    record_audit_event(
        actor=acting_person(actor),
        action=ServiceRequestAuditAction.STATUS_CHANGED,
        target=service_request,
        data={"from": from_status, "to": to_status, **audit_details(actor)},
    )
    service_request_status_changed.send(
        sender=ServiceRequest,
        service_request=service_request,
        actor=acting_person(actor),
        step=step,
    )
    transaction.on_commit(partial(send_status_update.enqueue, step.id))
    return step


def _refresh(stale: ServiceRequest, fresh: ServiceRequest) -> None:
    """Give the caller's object the values just written, as if it had been reloaded."""
    for name in ("status", "resolved_at", "closed_at", "duplicate_of_id", "assignee_id"):
        setattr(stale, name, getattr(fresh, name))
    stale.updated_at = fresh.updated_at


@transaction.atomic
def post_public_update(
    *, service_request: ServiceRequest, actor: Actor, public_note: str
) -> StatusChange:
    """Add a note the reporter and followers see, leaving the status as it is.

    For staff of the request's department and its partner (members and API keys). Raises
    NotFound for anyone else, InvalidInput (`public_note`) for an empty note.
    """
    require_handler_access(actor, service_request)
    note = public_note.strip()
    if not note:
        raise InvalidInput(fields={"public_note": [_("Write the update.")]})
    step = StatusChange.objects.create(
        service_request=service_request,
        actor=acting_person(actor),
        from_status=service_request.status,
        to_status=service_request.status,
        public_note=note,
    )
    record_audit_event(
        actor=acting_person(actor),
        action=ServiceRequestAuditAction.PUBLIC_UPDATE_POSTED,
        target=service_request,
        data=audit_details(actor),
    )
    transaction.on_commit(partial(send_status_update.enqueue, step.id))
    return step


@transaction.atomic
def merge_duplicate(
    *, duplicate: ServiceRequest, original: ServiceRequest, actor: User
) -> ServiceRequest:
    """Mark `duplicate` as a duplicate of `original`, whose followers its own people join.

    They also stay on `duplicate`, so that `split_duplicate` loses nobody. Requests already
    merged into `duplicate` are pointed at `original`. Raises NotFound when `actor` may not
    handle both, Conflict when `duplicate` is not open, is `original`, or `original` is
    itself a duplicate; the Conflict's message says which.
    """
    require_staff_access(actor, duplicate)
    require_staff_access(actor, original)
    locked = ServiceRequest.objects.select_for_update().get(pk=duplicate.pk)
    _check_mergeable(locked, original)
    from_status = locked.status
    locked.status, locked.duplicate_of = Status.DUPLICATE, original
    locked.save(update_fields=["status", "duplicate_of", "updated_at"])
    ServiceRequest.objects.filter(duplicate_of=locked).update(duplicate_of=original)
    _copy_followers(locked, original)
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


def _check_mergeable(duplicate: ServiceRequest, original: ServiceRequest) -> None:
    if duplicate.pk == original.pk:
        raise Conflict(_("A request cannot be merged into itself."))
    if not duplicate.is_open:
        raise Conflict(_("Only an open request can be merged."))
    if original.status == Status.DUPLICATE:
        raise Conflict(
            _("%(number)s is itself merged into another request: merge into that one.")
            % {"number": original.tracking_number}
        )


def _copy_followers(duplicate: ServiceRequest, original: ServiceRequest) -> None:
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


@transaction.atomic
def split_duplicate(*, duplicate: ServiceRequest, actor: User) -> ServiceRequest:
    """Undo a merge: `duplicate` goes back to the open status it had before it was merged.

    Its reporter and followers kept following it through the merge, so nobody is lost; those
    who joined the original through the merge keep following it too. Requests once merged
    into `duplicate` stay with the original. Raises NotFound when `actor` may not handle the
    request, Conflict when it is not a duplicate.
    """
    require_staff_access(actor, duplicate)
    locked = ServiceRequest.objects.select_for_update().get(pk=duplicate.pk)
    if locked.status != Status.DUPLICATE or locked.duplicate_of_id is None:
        raise Conflict(_("Only a request merged as a duplicate can be split."))
    merged_step = (
        StatusChange.objects.filter(service_request=locked, to_status=Status.DUPLICATE)
        .order_by("-created_at", "-id")
        .first()
    )
    previous = merged_step.from_status if merged_step is not None else ""
    to_status = previous if previous in ServiceRequest.OPEN_STATUSES else Status.ACKNOWLEDGED
    original_id = locked.duplicate_of.public_id if locked.duplicate_of else None
    locked.status, locked.duplicate_of = to_status, None
    locked.save(update_fields=["status", "duplicate_of", "updated_at"])
    step = StatusChange.objects.create(
        service_request=locked, actor=actor, from_status=Status.DUPLICATE, to_status=to_status
    )
    record_audit_event(
        actor=actor,
        action=ServiceRequestAuditAction.SPLIT_FROM_ORIGINAL,
        target=locked,
        data={"original": str(original_id), "to": to_status},
    )
    service_request_status_changed.send(
        sender=ServiceRequest, service_request=locked, actor=actor, step=step
    )
    transaction.on_commit(partial(send_status_update.enqueue, step.id))
    _refresh(duplicate, locked)
    return duplicate


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


@transaction.atomic
def unfollow_service_request(
    *, service_request: ServiceRequest, user: User | AnonymousUser
) -> None:
    """Stop telling `user` about the request's progress; unfollowing twice changes nothing.

    Raises InvalidInput for an anonymous visitor. A reporter is told about their own request
    whether or not they follow it.
    """
    if not isinstance(user, User) or not user.is_authenticated:
        raise InvalidInput(fields={"user": [_("Sign in to stop following a request.")]})
    deleted, _rows = Follower.objects.filter(service_request=service_request, user=user).delete()
    if deleted:
        record_audit_event(
            actor=user, action=ServiceRequestAuditAction.UNFOLLOWED, target=service_request
        )
