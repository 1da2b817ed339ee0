"""The SMS channel: a Twilio-compatible Messages API over HTTPS.

Settings (read when sending): SMS_API_BASE_URL, SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_FROM_NUMBER,
SMS_STATUS_CALLBACK_URL (optional), SMS_TIMEOUT_SECONDS.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from cityhall.core.errors import DeliveryFailed
from cityhall.notifications.channels.base import Channel
from cityhall.notifications.errors import RecipientRejected
from cityhall.notifications.models import ChannelKind, Delivery

#: Provider error codes that mean "this number must not be texted again" (opted out, not a
#: mobile number, invalid number).
REJECTED_NUMBER_CODES = frozenset({21610, 21614, 21211})


def _setting(name: str, default: str = "") -> str:
    return str(getattr(settings, name, default) or default)


def _error_code(error: urllib.error.HTTPError) -> int | None:
    try:
        payload = json.loads(error.read() or b"{}")
    except ValueError:
        return None
    code = payload.get("code") if isinstance(payload, dict) else None
    return code if isinstance(code, int) else None


def _failure(error: urllib.error.HTTPError) -> DeliveryFailed:
    provider_code = _error_code(error)
    if provider_code in REJECTED_NUMBER_CODES:
        return RecipientRejected(f"SMS provider refused the number (code {provider_code})")
    # 429 and 5xx are the provider's own trouble; other 4xx mean the request will never work.
    temporary = error.code == 429 or error.code >= 500
    return DeliveryFailed(
        f"SMS provider answered {error.code} (code {provider_code})", permanent=not temporary
    )


class SmsChannel(Channel):
    kind = ChannelKind.SMS

    def send(self, delivery: Delivery) -> None:
        base_url = _setting("SMS_API_BASE_URL", "https://api.twilio.com").rstrip("/")
        sid, token = _setting("SMS_ACCOUNT_SID"), _setting("SMS_AUTH_TOKEN")
        if not sid or not token or not base_url.startswith(("https://", "http://")):
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
        http_request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            f"{base_url}/2010-04-01/Accounts/{urllib.parse.quote(sid)}/Messages.json",
            data=urllib.parse.urlencode(fields).encode(),
            method="POST",
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        timeout = float(getattr(settings, "SMS_TIMEOUT_SECONDS", 10))
        try:
            with urllib.request.urlopen(http_request, timeout=timeout) as response:  # noqa: S310
                payload = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise _failure(error) from error
        except (OSError, ValueError) as error:
            raise DeliveryFailed(f"SMS provider unreachable: {error}", permanent=False) from error
        delivery.provider_message_id = (
            str(payload.get("sid", "")) if isinstance(payload, dict) else ""
        )
