"""Background jobs of the servicerequests domain. Each takes ids and re-reads the rows."""

from __future__ import annotations

from django_tasks import task

from cityhall.servicerequests.emails import send_service_request_email
from cityhall.servicerequests.models import ServiceRequest, StatusChange
from cityhall.servicerequests.notices import SETTLED, invite_to_rate, tell_about_step


@task(queue_name="email")
def send_submission_confirmation(service_request_id: int) -> bool:
    """Email the reporter the tracking number of a new request. False if there is nobody to tell."""
    service_request = (
        ServiceRequest.objects.select_related("service", "reporter")
        .filter(id=service_request_id)
        .first()
    )
    if service_request is None:
        return False  # erased since the task was queued
    return send_service_request_email(service_request=service_request, template="submitted")


@task(queue_name="email")
def send_status_update(status_change_id: int) -> int:
    """Tell the reporter and followers of a public step; ask for a rating once it is settled.

    Returns how many people were told (0 for an internal step or an erased request).
    """
    step = (
        StatusChange.objects.select_related("service_request__service", "service_request__reporter")
        .filter(id=status_change_id, is_public=True)
        .first()
    )
    if step is None:
        return 0
    told = tell_about_step(step)
    if step.to_status in SETTLED and step.from_status != step.to_status:
        invite_to_rate(step.service_request)
    return told


@task()
def check_service_levels() -> int:
    """Warn at 80% of each open request's SLA and escalate at breach; returns notices sent."""
    # Imported here: the services package imports this module to queue the tasks above.
    from cityhall.servicerequests.services.deadlines import warn_and_escalate

    sweep = warn_and_escalate()
    return sweep.warned + sweep.escalated
