"""Endpoints the SMS provider calls. No session: the provider's signature is the proof."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cityhall.notifications.sms_callbacks import (
    is_signed_by_provider,
    record_sms_reply,
    record_sms_status,
)

EMPTY_REPLY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _is_signed(request: HttpRequest) -> bool:
    fields = {name: request.POST.get(name, "") for name in request.POST}
    return is_signed_by_provider(
        url=request.build_absolute_uri(),
        fields=fields,
        signature=request.headers.get("X-Twilio-Signature", ""),
    )


@csrf_exempt
@require_POST
def sms_status(request: HttpRequest) -> HttpResponse:
    """POST: a delivery receipt (MessageSid, MessageStatus, ErrorCode). 403 unless signed."""
    if not _is_signed(request):
        return HttpResponse(status=403)
    record_sms_status(
        provider_message_id=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
    )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def sms_inbound(request: HttpRequest) -> HttpResponse:
    """POST: a text sent to the city's number (From, Body); STOP opts out. 403 unless signed."""
    if not _is_signed(request):
        return HttpResponse(status=403)
    record_sms_reply(from_number=request.POST.get("From", ""), body=request.POST.get("Body", ""))
    return HttpResponse(EMPTY_REPLY, content_type="text/xml")
