"""Signed one-click unsubscribe links: they work without signing in, for one topic and channel."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from uuid import UUID

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from cityhall.accounts.models import User

SALT = "cityhall.notifications.unsubscribe"
#: Stands for the token while the unsubscribe page's address is reversed once per language.
TOKEN_MARK = "cityhall-token-mark"  # noqa: S105 (a placeholder, not a secret)


@dataclass(frozen=True)
class UnsubscribeRequest:
    """What a valid link asks for: stop `topic` on `channel` for the user `user_public_id`."""

    user_public_id: UUID
    topic: str
    channel: str


def make_unsubscribe_token(*, user: User, topic: str, channel: str) -> str:
    """A URL-safe token naming the user (by public id), the topic and the channel."""
    return signing.dumps({"u": str(user.public_id), "t": topic, "c": channel}, salt=SALT)


def read_unsubscribe_token(token: str) -> UnsubscribeRequest | None:
    """The request a token carries, or None when the signature or content is wrong.

    Tokens do not expire: a link in an old email must still stop the messages.
    """
    try:
        payload = signing.loads(token, salt=SALT)
        return UnsubscribeRequest(
            user_public_id=UUID(payload["u"]), topic=str(payload["t"]), channel=str(payload["c"])
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_url(*, user: User, topic: str, channel: str) -> str:
    """The absolute link to the unsubscribe page, in the user's language."""
    token = make_unsubscribe_token(user=user, topic=topic, channel=channel)
    before, after = _unsubscribe_page(
        user.preferred_language, settings.CITYHALL_BASE_URL.rstrip("/"), settings.ROOT_URLCONF
    )
    return f"{before}{token}{after}"


@lru_cache(maxsize=32)
def _unsubscribe_page(language: str, base_url: str, urlconf: str) -> tuple[str, str]:
    # Reversed once per language and site, not per email: a batch of emails would otherwise
    # spend more on reversing than on writing the messages. `urlconf` is part of the key so
    # that tests mounting other routes get their own.
    with translation.override(language):
        path = reverse("portal:notification_unsubscribe", kwargs={"token": TOKEN_MARK})
    before, _mark, after = path.partition(TOKEN_MARK)
    return f"{base_url}{before}", after
