"""The SMS channel: a Twilio-compatible Messages API over HTTPS, reached through core.outbound
like every request the server makes.

Settings (read when sending): SMS_API_BASE_URL, SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_FROM_NUMBER,
SMS_STATUS_CALLBACK_URL (optional), SMS_TIMEOUT_SECONDS.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from typing import Any

from django.conf import settings

from cityhall.core.errors import DeliveryFailed
from cityhall.core.outbound import (
    AddressRefused,
    NoAnswer,
    OutboundRequest,
    OutboundResponse,
    send_request,
)
from cityhall.notifications.channels.base import Channel
from cityhall.notifications.errors import RecipientRejected
from cityhall.notifications.models import ChannelKind, Delivery

#: Provider error codes that mean "this number must not be texted again" (opted out, not a
#: mobile number, invalid number).
REJECTED_NUMBER_CODES = frozenset({21610, 21614, 21211})


def _setting(name: str, default: str = "") -> str:
    return str(getattr(settings, name, default) or default)


def _json(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def _failure(response: OutboundResponse) -> DeliveryFailed:
    code = _json(response.body).get("code")
    provider_code = code if isinstance(code, int) else None
    if provider_code in REJECTED_NUMBER_CODES:
        return RecipientRejected(f"SMS provider refused the number (code {provider_code})")
    # 429 and 5xx are the provider's own trouble; other answers mean the request will never work.
    temporary = response.status == 429 or response.status >= 500
    return DeliveryFailed(
        f"SMS provider answered {response.status} (code {provider_code})", permanent=not temporary
    )


class SmsChannel(Channel):
    kind = ChannelKind.SMS

    def send(self, delivery: Delivery) -> None:
        base_url = _setting("SMS_API_BASE_URL", "https://api.twilio.com").rstrip("/")
        sid, token = _setting("SMS_ACCOUNT_SID"), _setting("SMS_AUTH_TOKEN")
        if not sid or not token:
            raise DeliveryFailed("SMS is not configured", permanent=True)
        fields = {
            "To": delivery.address,
            "From": _setting("SMS_FROM_NUMBER"),
            "Body": delivery.body,
        }
        callback = _setting("SMS_STATUS_CALLBACK_URL")
        if callback:
            fields["StatusCallback"] = callback
        credentials = base64.b64encode(f"{sid}:{token}".encode()).decode()
        request = OutboundRequest(
            method="POST",
            url=f"{base_url}/2010-04-01/Accounts/{urllib.parse.quote(sid)}/Messages.json",
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            body=urllib.parse.urlencode(fields).encode(),
            timeout=float(getattr(settings, "SMS_TIMEOUT_SECONDS", 10)),
        )
        try:
            response = send_request(request)
        except AddressRefused as error:
            raise DeliveryFailed(
                f"SMS provider address refused: {error}", permanent=True
            ) from error
        except NoAnswer as error:
            raise DeliveryFailed(f"SMS provider unreachable: {error}", permanent=False) from error
        if not response.is_success:
            raise _failure(response)
        delivery.provider_message_id = str(_json(response.body).get("sid", ""))
