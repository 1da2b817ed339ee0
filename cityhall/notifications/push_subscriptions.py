"""Switching web push on and off for one browser of a person ("notify me on this device")."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import InvalidInput
from cityhall.core.outbound import AddressRefused, check_url
from cityhall.notifications.models import PushSubscription
from cityhall.notifications.vapid import b64url_decode

MAX_ENDPOINT_LENGTH = 1000
P256_POINT_BYTES = 65
AUTH_SECRET_BYTES = 16


def _endpoint_error(endpoint: str) -> str | None:
    # Every push is checked again when sent; this refuses what can never be sent to now: plain
    # http, and any spelling of an address inside the city's network (core.outbound).
    if len(endpoint) > MAX_ENDPOINT_LENGTH or not urlsplit(endpoint).netloc:
        return _("This is not a push service address.")
    try:
        check_url(endpoint)
    except AddressRefused:
        return _("The push service address must be a public https address.")
    return None


def _key_errors(p256dh: str, auth: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        point = b64url_decode(p256dh)
    except ValueError:
        point = b""
    if len(point) != P256_POINT_BYTES or point[0] != 4:  # 4: an uncompressed point
        errors["p256dh"] = [_("The browser key is not a P-256 public key.")]
    try:
        secret = b64url_decode(auth)
    except ValueError:
        secret = b""
    if len(secret) != AUTH_SECRET_BYTES:
        errors["auth"] = [_("The authentication secret must be 16 bytes.")]
    return errors


@transaction.atomic
def subscribe_browser(
    *, actor: User, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Send `actor`'s web push notifications to the browser that gave this subscription.

    The arguments are the browser's PushSubscription (endpoint and base64url keys). Subscribing
    again refreshes the keys; an endpoint held by another account (someone else signed in on
    the same browser before) moves to `actor`, since the browser now answers for them.
    Raises InvalidInput(fields=...) for a malformed subscription. Audited.
    """
    errors = _key_errors(p256dh, auth)
    endpoint_error = _endpoint_error(endpoint)
    if endpoint_error:
        errors["endpoint"] = [endpoint_error]
    if errors:
        raise InvalidInput(fields=errors)
    subscription, created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "user": actor,
            "p256dh": p256dh,
            "auth": auth,
            "user_agent": user_agent[:300],
        },
    )
    record_audit_event(
        actor=actor,
        action="notifications.push_subscribed",
        target=subscription,
        data={"created": created},
    )
    return subscription


@transaction.atomic
def unsubscribe_browser(*, actor: User, endpoint: str) -> bool:
    """Stop web push to this browser of `actor`; False when it was not subscribed. Audited."""
    subscription = PushSubscription.objects.filter(user=actor, endpoint=endpoint).first()
    if subscription is None:
        return False
    record_audit_event(
        actor=actor,
        action="notifications.push_unsubscribed",
        target=subscription,
    )
    subscription.delete()
    return True
