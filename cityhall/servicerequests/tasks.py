"""Background jobs of the servicerequests domain. Each takes ids and re-reads the rows."""

from __future__ import annotations

from django_tasks import task

from cityhall.servicerequests.emails import send_service_request_email
from cityhall.servicerequests.models import ServiceRequest, StatusChange


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
def send_status_update(status_change_id: int) -> bool:
    """Email the reporter a public status change. False if there is nobody to tell."""
    step = (
        StatusChange.objects.select_related("service_request__service", "service_request__reporter")
        .filter(id=status_change_id, is_public=True)
        .first()
    )
    if step is None:
        return False
    return send_service_request_email(
        service_request=step.service_request,
        template="status_changed",
        context={"public_note": step.public_note},
    )
