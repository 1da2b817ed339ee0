"""Citizens' comments on their requests, and staff's internal notes on a request's timeline.

A comment comes from the request's reporter or one of its followers and is read by the staff
who may handle the request; it is never public (see `selectors.comments_for_citizen` and
`comments_for_staff`). Staff answer with `post_public_update`. An internal note is a timeline
step that leaves the status as it is and that citizens and partners never see.

Staff are told of a comment by a task queued with it (template "service-request-comment": the
request's number and a link, never the text): the assignee, or without one the department's
agents. A failure to tell them never loses the comment.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import InvalidInput, PermissionDenied
from cityhall.servicerequests.access import (
    Actor,
    acting_person,
    audit_details,
    require_handler_access,
)
from cityhall.servicerequests.models import Comment, Follower, ServiceRequest, StatusChange
from cityhall.servicerequests.tasks import enqueue_with_commit, tell_staff_of_comment

#: Audit codes (stable: reports filter on them).
COMMENTED = "servicerequests.commented"
INTERNAL_NOTE_ADDED = "servicerequests.internal_note_added"
#: Longest comment or internal note kept, in characters.
COMMENT_MAX_LENGTH = 2000


def may_comment(service_request: ServiceRequest, user: User | AnonymousUser) -> bool:
    """Whether `user` (active, signed in) filed the request or follows it."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if service_request.reporter_id is not None and service_request.reporter_id == user.pk:
        return True
    return Follower.objects.filter(service_request=service_request, user=user).exists()


def _cleaned(text: str, *, field: str, blank_message: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput(fields={field: [blank_message]})
    if len(cleaned) > COMMENT_MAX_LENGTH:
        message = _("Keep it under %(limit)d characters (it has %(length)d).") % {
            "limit": COMMENT_MAX_LENGTH,
            "length": len(cleaned),
        }
        raise InvalidInput(fields={field: [message]})
    return cleaned


@transaction.atomic
def add_comment(
    *, service_request: ServiceRequest, author: User | AnonymousUser, body: str
) -> Comment:
    """Add `author`'s comment to the request, for its staff to read.

    Raises PermissionDenied unless `author` filed or follows the request, InvalidInput
    (`body`) for an empty comment or one over COMMENT_MAX_LENGTH characters.
    """
    if not isinstance(author, User) or not may_comment(service_request, author):
        raise PermissionDenied(
            _("Only the person who filed a request and its followers can comment on it.")
        )
    text = _cleaned(body, field="body", blank_message=_("Write your comment."))
    comment = Comment.objects.create(service_request=service_request, author=author, body=text)
    record_audit_event(
        actor=author,
        action=COMMENTED,
        target=service_request,
        data={"comment": str(comment.public_id)},
    )
    enqueue_with_commit(tell_staff_of_comment, comment.id)
    return comment


@transaction.atomic
def add_internal_note(
    *, service_request: ServiceRequest, actor: Actor, internal_note: str
) -> StatusChange:
    """Add a staff-only note to the request's timeline, leaving its status as it is.

    Nobody is told; citizens and partners never see it. Raises NotFound unless `actor` is
    staff of the request's department (or a city admin) or its partner (a member, or an API
    key of the organisation), InvalidInput (`internal_note`) for an empty note or one over
    COMMENT_MAX_LENGTH characters.
    """
    require_handler_access(actor, service_request)
    note = _cleaned(internal_note, field="internal_note", blank_message=_("Write the note."))
    step = StatusChange.objects.create(
        service_request=service_request,
        actor=acting_person(actor),
        from_status=service_request.status,
        to_status=service_request.status,
        internal_note=note,
        is_public=False,
    )
    record_audit_event(
        actor=acting_person(actor),
        action=INTERNAL_NOTE_ADDED,
        target=service_request,
        data={"step": str(step.public_id), **audit_details(actor)},
    )
    return step
