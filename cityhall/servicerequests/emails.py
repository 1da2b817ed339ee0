"""Emails about a request, rendered in the recipient's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from cityhall.servicerequests.models import ServiceRequest


def recipient_for(service_request: ServiceRequest) -> tuple[str, str] | None:
    """(email, language) of whoever filed the request, or None when there is no address."""
    reporter = service_request.reporter
    if reporter is not None and reporter.is_active and reporter.email:
        return reporter.email, reporter.preferred_language
    if service_request.contact_email:
        return service_request.contact_email, settings.LANGUAGE_CODE
    return None


def send_service_request_email(
    *, service_request: ServiceRequest, template: str, context: dict[str, Any] | None = None
) -> bool:
    """Render `servicerequests/email/<template>_{subject,body}.txt` and send it to the reporter.

    Returns False when nobody can be written to. Raises whatever the email backend raises, so
    that the calling task can retry.
    """
    recipient = recipient_for(service_request)
    if recipient is None:
        return False
    email, language = recipient
    full_context = {
        "service_request": service_request,
        "city_name": settings.CITYHALL_CITY_NAME,
        "base_url": settings.CITYHALL_BASE_URL,
    }
    full_context.update(context or {})
    with translation.override(language):
        full_context["service_name"] = service_request.service.name
        full_context["status_label"] = service_request.get_status_display()
        subject = render_to_string(f"servicerequests/email/{template}_subject.txt", full_context)
        body = render_to_string(f"servicerequests/email/{template}_body.txt", full_context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=body, to=[email])
    message.send()
    return True
