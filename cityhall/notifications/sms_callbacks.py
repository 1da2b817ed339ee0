"""What the SMS provider tells the city: delivery receipts and replies (STOP, START).

Both arrive as form posts signed Twilio's way: base64(HMAC-SHA1(auth token, the full URL followed
by each form field's name and value, sorted by name)), in the X-Twilio-Signature header.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping

from django.conf import settings
from django.utils import timezone

from cityhall.core.audit import record_audit_event
from cityhall.notifications.channels.sms import REJECTED_NUMBER_CODES
from cityhall.notifications.delivery import suppress_address
from cityhall.notifications.models import ChannelKind, Delivery, Suppression

#: Replies that opt a number out, and back in (carrier conventions, English and French).
STOP_WORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "ARRET", "ARRÊT"}
)
START_WORDS = frozenset({"START", "UNSTOP", "YES"})


def sms_signature(*, url: str, fields: Mapping[str, str], auth_token: str) -> str:
    """The signature the provider sends for a post of `fields` to `url`."""
    payload = url + "".join(f"{name}{fields[name]}" for name in sorted(fields))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def is_signed_by_provider(*, url: str, fields: Mapping[str, str], signature: str) -> bool:
    """True when `signature` matches SMS_AUTH_TOKEN; always False while no token is set."""
    auth_token = str(getattr(settings, "SMS_AUTH_TOKEN", "") or "")
    if not auth_token or not signature:
        return False
    expected = sms_signature(url=url, fields=fields, auth_token=auth_token)
    return hmac.compare_digest(expected, signature)


def record_sms_status(*, provider_message_id: str, status: str, error_code: str = "") -> bool:
    """Apply a delivery receipt; returns False when no sent SMS has that id.

    "delivered" marks the delivery delivered; "failed" and "undelivered" mark it failed (bounced,
    with the number suppressed, when the code says the number refuses texts). Other statuses
    are progress reports and change nothing.
    """
    delivery = Delivery.objects.filter(
        channel=ChannelKind.SMS, provider_message_id=provider_message_id
    ).first()
    if delivery is None or not provider_message_id:
        return False
    if status == "delivered":
        delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, timezone.now()
    elif status in {"failed", "undelivered"}:
        delivery.status = Delivery.Status.FAILED
        delivery.is_permanent_failure = True
        delivery.last_error = f"Provider reported {status} (code {error_code or 'none'})"
        if error_code.isdigit() and int(error_code) in REJECTED_NUMBER_CODES:
            delivery.status = Delivery.Status.BOUNCED
            suppress_address(
                channel=ChannelKind.SMS,
                address=delivery.address,
                reason=Suppression.Reason.PROVIDER,
            )
    else:
        return True
    delivery.save()
    return True


def record_sms_reply(*, from_number: str, body: str) -> str:
    """Act on a text sent to the city's number: "stop", "start" or "ignored" (what was done).

    STOP (and its synonyms) suppresses the number for every topic; START lifts a STOP. Audited.
    """
    word = body.strip().upper()
    if word in STOP_WORDS:
        suppress_address(
            channel=ChannelKind.SMS, address=from_number, reason=Suppression.Reason.STOP
        )
        action = "stop"
    elif word in START_WORDS:
        Suppression.objects.filter(
            channel=ChannelKind.SMS, address=from_number.lower(), reason=Suppression.Reason.STOP
        ).delete()
        action = "start"
    else:
        return "ignored"
    # The number is personal data: the suppression list holds it, the audit line does not.
    record_audit_event(actor=None, action=f"notifications.sms_{action}")
    return action
