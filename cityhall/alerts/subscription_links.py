"""Links in messages to people who subscribed without an account: confirm, and stop.

A confirmation link carries the subscription's public id signed with SECRET_KEY
(django.core.signing, its own salt) and lives CONFIRM_DAYS. A stop link never expires (an
alert years later must still be stoppable) and is cheap enough to make for every message of
a fan-out: an HMAC-SHA-256 of the public id under a key derived from SECRET_KEY, cut to 128
bits. Altered, expired or unknown links raise InvalidSubscriptionLink.
"""

from __future__ import annotations

import base64
import hmac
import uuid
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac

CONFIRM_SALT = "alerts.subscription.confirm"
STOP_SALT = "alerts.subscription.stop"
CONFIRM_DAYS = 7
#: Stands for the id and the token while a page's address is reversed once per language.
MARK = "00000000-0000-0000-0000-000000000000"


class InvalidSubscriptionLink(Exception):
    """The link was altered, has expired, or names no subscription."""


def confirmation_token(public_id: uuid.UUID) -> str:
    return signing.dumps(str(public_id), salt=CONFIRM_SALT)


def confirmed_public_id(token: str) -> uuid.UUID:
    """The public id a confirmation token names; raises InvalidSubscriptionLink."""
    try:
        value = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_DAYS * 86400)
        return uuid.UUID(str(value))
    except (signing.BadSignature, ValueError) as error:
        raise InvalidSubscriptionLink from error


@lru_cache(maxsize=1)
def _stop_key(secret: str) -> bytes:
    return salted_hmac(STOP_SALT, "key", secret=secret, algorithm="sha256").digest()


def stop_token(public_id: uuid.UUID) -> str:
    mac = hmac.new(_stop_key(settings.SECRET_KEY), public_id.bytes, "sha256").digest()[:16]
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def check_stop_token(public_id: uuid.UUID, token: str) -> None:
    """Raises InvalidSubscriptionLink unless `token` is the stop token of `public_id`."""
    if not hmac.compare_digest(stop_token(public_id), token):
        raise InvalidSubscriptionLink


@lru_cache(maxsize=32)
def _stop_page(language: str, base_url: str, urlconf: str) -> tuple[str, str, str]:
    # Reversed once per language, not per message: a fan-out makes a link for each person.
    with translation.override(language):
        path = reverse("alert_subscriptions:stop", args=[MARK, MARK])
    before, _mark, rest = path.partition(MARK)
    middle, _mark, after = rest.partition(MARK)
    return f"{base_url}{before}", middle, after


def stop_url(public_id: uuid.UUID, language: str) -> str:
    """The absolute link that ends the subscription `public_id`, in `language`."""
    before, middle, after = _stop_page(
        language, settings.CITYHALL_BASE_URL.rstrip("/"), settings.ROOT_URLCONF
    )
    return f"{before}{public_id}{middle}{stop_token(public_id)}{after}"
