"""The web push channel: the message, encrypted for each browser the person switched on
(RFC 8291, aes128gcm), posted to that browser's push service with a VAPID signature (RFC 8292).

The payload is JSON `{"title", "body", "url", "tag", "lang"}`: the subject and text of the
person's own message, in their language, and the path of the page it is about; the service worker
(portal/static/portal/push-service-worker.js) shows it and opens the page when clicked.
pywebpush only encrypts; the POST goes through core.outbound like every request the server makes,
since the endpoint is whatever a browser (or anyone signed in) handed over.
Settings: see vapid.py; WEB_PUSH_TIMEOUT_SECONDS (default 10).
"""

from __future__ import annotations

import json
import logging
import time
from enum import Enum
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

# No type information ships with these two; pyproject's mypy overrides are the better home.
from py_vapid import Vapid02  # type: ignore[import-untyped]
from pywebpush import WebPusher  # type: ignore[import-untyped]

from cityhall.core.errors import DeliveryFailed
from cityhall.core.outbound import AddressRefused, NoAnswer, OutboundRequest, send_request
from cityhall.notifications.channels.base import Channel
from cityhall.notifications.models import ChannelKind, Delivery, PushSubscription, Urgency
from cityhall.notifications.vapid import VapidKeys, configured_vapid_keys, vapid_subject

logger = logging.getLogger(__name__)

#: How long a push service keeps a message for a device that is offline.
TIME_TO_LIVE_SECONDS = 24 * 3600
#: Push services accept about 4 KB of payload; the full text is on the site anyway.
MAX_BODY_CHARACTERS = 1000
#: A VAPID token may live up to 24 hours; one is signed per push service and reused this long.
TOKEN_LIFETIME_SECONDS = 12 * 3600
#: A push service's answer is only its status; its body is not read further than this.
RESPONSE_READ_BYTES = 4096


class Outcome(Enum):
    SENT = "sent"
    #: The push service no longer knows the subscription (404, 410), or its address leads
    #: inside the city's network and will never be sent to: it is deleted.
    GONE = "gone"
    #: The push service refused this message for good (other 4xx).
    REFUSED = "refused"
    #: Worth another try later (network trouble, 429, 5xx).
    TEMPORARY = "temporary"


def push_payload(delivery: Delivery) -> bytes:
    """What the service worker receives for one delivery, as JSON (see the module docstring)."""
    notification = delivery.notification
    with translation.override(notification.language):
        title = delivery.subject or _("New notification")
        url = notification.link or reverse("portal:notification_inbox")
    body = delivery.body
    if len(body) > MAX_BODY_CHARACTERS:
        body = body[: MAX_BODY_CHARACTERS - 1] + "…"
    payload = {
        "title": title,
        "body": body,
        "url": url,
        "tag": str(notification.public_id),
        "lang": notification.language,
    }
    return json.dumps(payload, ensure_ascii=False).encode()


def _audience(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


class WebPushChannel(Channel):
    """Sends to every subscribed browser of the recipient.

    The delivery counts as sent when at least one browser's push service accepted it; it is
    retried only when none did and at least one failure was temporary.
    """

    kind = ChannelKind.WEB_PUSH

    def __init__(self) -> None:
        #: (private key, audience) → (Authorization header, when to sign a new one).
        self._tokens: dict[tuple[str, str], tuple[str, float]] = {}

    def send(self, delivery: Delivery) -> None:
        keys = configured_vapid_keys()
        if keys is None:
            raise DeliveryFailed("Web push is not configured", permanent=True)
        recipient_id = delivery.notification.recipient_id
        subscriptions = (
            list(PushSubscription.objects.filter(user_id=recipient_id)) if recipient_id else []
        )
        if not subscriptions:
            raise DeliveryFailed("No browser is subscribed any more", permanent=True)
        payload = push_payload(delivery)
        urgency = "high" if delivery.notification.urgency == Urgency.EMERGENCY else "normal"
        outcomes = {
            subscription.id: self._push(subscription, payload, keys=keys, urgency=urgency)
            for subscription in subscriptions
        }
        reached = [key for key, outcome in outcomes.items() if outcome is Outcome.SENT]
        gone = [key for key, outcome in outcomes.items() if outcome is Outcome.GONE]
        if gone:
            PushSubscription.objects.filter(id__in=gone).delete()
        if reached:
            now = timezone.now()
            PushSubscription.objects.filter(id__in=reached).update(
                last_success_at=now, updated_at=now
            )
            return
        temporary = Outcome.TEMPORARY in outcomes.values()
        raise DeliveryFailed(
            f"No push service accepted the message: {sorted(o.value for o in outcomes.values())}",
            permanent=not temporary,
        )

    def _push(
        self, subscription: PushSubscription, payload: bytes, *, keys: VapidKeys, urgency: str
    ) -> Outcome:
        subscription_info = {
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        }
        encrypted = WebPusher(subscription_info).encode(payload, content_encoding="aes128gcm")
        request = OutboundRequest(
            method="POST",
            url=subscription.endpoint,
            headers={
                "Authorization": self._authorization(keys, _audience(subscription.endpoint)),
                "Urgency": urgency,
                "TTL": str(TIME_TO_LIVE_SECONDS),
                "Content-Encoding": "aes128gcm",
                "Content-Type": "application/octet-stream",
            },
            body=encrypted["body"],
            timeout=float(getattr(settings, "WEB_PUSH_TIMEOUT_SECONDS", 10)),
            max_response_bytes=RESPONSE_READ_BYTES,
        )
        try:
            response = send_request(request)
        except AddressRefused:
            logger.warning("Push endpoint of subscription %s is not public", subscription.id)
            return Outcome.GONE
        except NoAnswer as error:
            logger.info("Push service unreachable for subscription %s: %s", subscription.id, error)
            return Outcome.TEMPORARY
        status = response.status
        if response.is_success:
            return Outcome.SENT
        logger.info("Push service answered %s for subscription %s", status, subscription.id)
        if status in {404, 410}:
            return Outcome.GONE
        if status == 429 or status >= 500:
            return Outcome.TEMPORARY
        return Outcome.REFUSED

    def _authorization(self, keys: VapidKeys, audience: str) -> str:
        now = time.time()
        cached = self._tokens.get((keys.private_key, audience))
        if cached is not None and cached[1] > now:
            return cached[0]
        expires = int(now) + TOKEN_LIFETIME_SECONDS
        signer = Vapid02.from_raw(keys.private_key.encode())
        claims = {"aud": audience, "exp": expires, "sub": vapid_subject()}
        header = str(signer.sign(claims)["Authorization"])
        # A fresh token well before this one expires, so none reaches a push service stale.
        self._tokens[(keys.private_key, audience)] = (header, now + TOKEN_LIFETIME_SECONDS / 2)
        return header
