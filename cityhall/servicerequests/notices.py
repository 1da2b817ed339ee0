"""What a request's events tell people, through `cityhall.notifications.services.notify`.

Citizens (the reporter and the followers) hear of each public step of the timeline on the
"my requests" topic, and the reporter is asked to rate the handling once the request is
settled. Staff hear of SLA warnings and breaches on the "reminders" topic. A reporter who left
only an email address (no account) still gets the plain emails of `emails.py`.

Each event has its own Template code (seeded in both languages by migration 0003); every event
key is stable, so a retried task never tells anyone twice.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from cityhall.accounts.models import User
from cityhall.notifications.models import Topic
from cityhall.notifications.services import notify
from cityhall.servicerequests.emails import send_service_request_email
from cityhall.servicerequests.models import Comment, Follower, ServiceRequest, StatusChange

Status = ServiceRequest.Status

#: The Template code told for a public step that reached each status.
STATUS_TEMPLATES: dict[str, str] = {
    Status.ACKNOWLEDGED: "service-request-acknowledged",
    Status.IN_PROGRESS: "service-request-in-progress",
    Status.ON_HOLD: "service-request-on-hold",
    Status.RESOLVED: "service-request-resolved",
    Status.CLOSED: "service-request-closed",
    Status.REJECTED: "service-request-rejected",
    Status.DUPLICATE: "service-request-duplicate",
}
#: A public note added while the status stays the same.
UPDATE_TEMPLATE = "service-request-update"
#: The invitation to rate a settled request.
SURVEY_TEMPLATE = "service-request-survey"
#: Staff: 80% of the SLA has elapsed; the SLA is breached.
SLA_WARNING_TEMPLATE = "service-request-sla-warning"
SLA_BREACH_TEMPLATE = "service-request-sla-breach"
COMMENT_TEMPLATE = "service-request-comment"

#: Variables every citizen template may use; staff templates use STAFF_VARIABLES.
CITIZEN_VARIABLES = ("number", "service", "status", "note", "link")
STAFF_VARIABLES = ("number", "service", "due", "link")

#: Statuses after which the reporter is asked to rate the handling.
SETTLED = frozenset({Status.RESOLVED, Status.CLOSED})


def _absolute(path: str) -> str:
    return f"{settings.CITYHALL_BASE_URL.rstrip('/')}{path}"


def _citizen_context(service_request: ServiceRequest, note: str, link: str) -> dict[str, str]:
    """Rendered in the active language, which the caller sets to the recipient's."""
    return {
        "number": service_request.tracking_number,
        "service": service_request.service.name,
        "status": str(service_request.get_status_display()),
        "note": note,
        "link": link,
    }


def _people_to_tell(service_request: ServiceRequest, actor_id: int | None) -> list[User]:
    """The reporter and the followers with active accounts, minus whoever made the change."""
    user_ids = set(
        Follower.objects.filter(service_request=service_request).values_list("user_id", flat=True)
    )
    if service_request.reporter_id is not None:
        user_ids.add(service_request.reporter_id)
    if actor_id is not None:
        user_ids.discard(actor_id)
    return list(User.objects.filter(id__in=user_ids, is_active=True).order_by("id"))


def tell_about_step(step: StatusChange) -> int:
    """Notify the reporter and followers of one public step; returns how many were told.

    A reporter known only by a contact email gets the plain status email instead.
    """
    service_request = step.service_request
    code = STATUS_TEMPLATES.get(step.to_status) if step.from_status != step.to_status else None
    code = code or UPDATE_TEMPLATE
    told = 0
    for person in _people_to_tell(service_request, step.actor_id):
        with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
            link = _absolute(
                reverse("portal:request_status", args=[service_request.tracking_number])
            )
            context = _citizen_context(service_request, step.public_note, link)
        notify(
            recipient=person,
            topic=Topic.MY_REQUESTS,
            template=code,
            context=context,
            event_key=f"service-request-step:{step.public_id}",
        )
        told += 1
    if service_request.reporter_id is None and service_request.contact_email:
        told += send_service_request_email(
            service_request=service_request,
            template="status_changed",
            context={"public_note": step.public_note},
        )
    return told


def invite_to_rate(service_request: ServiceRequest) -> bool:
    """Ask the reporter (an account holder) to rate a settled request, once per request."""
    reporter = service_request.reporter
    if reporter is None or not reporter.is_active or service_request.status not in SETTLED:
        return False
    with translation.override(reporter.preferred_language or settings.LANGUAGE_CODE):
        link = _absolute(reverse("portal:rate_request", args=[service_request.tracking_number]))
        context = _citizen_context(service_request, "", link)
    notify(
        recipient=reporter,
        topic=Topic.MY_REQUESTS,
        template=SURVEY_TEMPLATE,
        context=context,
        event_key=f"service-request-survey:{service_request.public_id}",
    )
    return True


def tell_staff_about_sla(
    service_request: ServiceRequest, *, staff: list[User], breached: bool
) -> int:
    """Notify `staff` that the request is due soon (`breached` False) or overdue (True)."""
    assert service_request.due_at is not None  # only requests with a due date reach here
    code = SLA_BREACH_TEMPLATE if breached else SLA_WARNING_TEMPLATE
    # The due date is part of the key: a request whose due date staff moved is warned again.
    event_key = f"{code}:{service_request.public_id}:{service_request.due_at.isoformat()}"
    for person in staff:
        with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
            context = {
                "number": service_request.tracking_number,
                "service": service_request.service.name,
                "due": formats.date_format(
                    timezone.localtime(service_request.due_at), "DATETIME_FORMAT"
                ),
                "link": _absolute(
                    reverse("backoffice:request_detail", args=[service_request.public_id])
                ),
            }
        notify(
            recipient=person,
            topic=Topic.REMINDERS,
            template=code,
            context=context,
            event_key=event_key,
        )
    return len(staff)


def tell_staff_about_comment(comment: Comment, *, staff: list[User]) -> int:
    """Notify `staff` that a citizen commented on a request; the text stays on its page.

    The comment itself is not copied into the message: it may hold personal details, which
    stay behind the back office's sign-in.
    """
    service_request = comment.service_request
    for person in staff:
        with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
            context = {
                "number": service_request.tracking_number,
                "service": service_request.service.name,
                "link": _absolute(
                    reverse("backoffice:request_detail", args=[service_request.public_id])
                ),
            }
        notify(
            recipient=person,
            topic=Topic.MY_REQUESTS,
            template=COMMENT_TEMPLATE,
            context=context,
            event_key=f"{COMMENT_TEMPLATE}:{comment.public_id}",
        )
    return len(staff)
