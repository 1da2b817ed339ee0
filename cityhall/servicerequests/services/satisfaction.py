"""The reporter's rating of how a settled request was handled (1 to 5, and a comment)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import Conflict, InvalidInput, NotFound
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.models import SatisfactionRating, ServiceRequest

#: Lowest and highest score of the survey.
LOWEST, HIGHEST = 1, 5
COMMENT_MAX_LENGTH = 2000
#: Statuses in which the reporter may rate the handling.
RATEABLE = frozenset({ServiceRequest.Status.RESOLVED, ServiceRequest.Status.CLOSED})


def can_rate(service_request: ServiceRequest, user: User) -> bool:
    """Whether `user` may rate the request now: its reporter, once, when it is settled."""
    return (
        service_request.reporter_id is not None
        and service_request.reporter_id == user.pk
        and service_request.status in RATEABLE
        and not SatisfactionRating.objects.filter(service_request=service_request).exists()
    )


def rate_service_request(
    *, service_request: ServiceRequest, actor: User, score: int, comment: str = ""
) -> SatisfactionRating:
    """Record the reporter's rating. Raises NotFound for anyone but the reporter,
    InvalidInput (`score`, `comment`) for a score outside 1 to 5 or an overlong comment, and
    Conflict for a request still open or already rated."""
    if service_request.reporter_id is None or service_request.reporter_id != actor.pk:
        raise NotFound
    errors: dict[str, list[str]] = {}
    if not LOWEST <= score <= HIGHEST:
        errors["score"] = [_("Choose a rating from 1 to 5.")]
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = [_("Keep the comment under 2,000 characters.")]
    if errors:
        raise InvalidInput(fields=errors)
    if service_request.status not in RATEABLE:
        raise Conflict(_("A request can be rated once it is resolved."))
    try:
        with transaction.atomic():
            rating = SatisfactionRating.objects.create(
                service_request=service_request, rater=actor, score=score, comment=comment
            )
            record_audit_event(
                actor=actor,
                action=ServiceRequestAuditAction.RATED,
                target=service_request,
                data={"score": score},
            )
    except IntegrityError as error:
        raise Conflict(_("You have already rated this request.")) from error
    return rating
