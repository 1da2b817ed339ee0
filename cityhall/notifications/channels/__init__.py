"""Channel registry. To add a channel: write a `Channel` subclass in its own module, import it
here, add its kind to `ChannelKind`, and give it topic defaults in `services.TOPIC_DEFAULTS`."""

from __future__ import annotations

from functools import cache

from cityhall.notifications.channels.base import Channel
from cityhall.notifications.channels.email import EmailChannel
from cityhall.notifications.channels.in_app import InAppChannel
from cityhall.notifications.channels.sms import SmsChannel
from cityhall.notifications.channels.web_push import WebPushChannel
from cityhall.notifications.channels.webhook import WebhookChannel

CHANNELS: dict[str, type[Channel]] = {
    EmailChannel.kind: EmailChannel,
    SmsChannel.kind: SmsChannel,
    InAppChannel.kind: InAppChannel,
    WebPushChannel.kind: WebPushChannel,
    WebhookChannel.kind: WebhookChannel,
}


@cache
def worker_channel(kind: str) -> Channel | None:
    """This process's instance of a channel, or None for a kind no channel sends.

    One instance per worker, so connections (SMTP, HTTP) are reused between messages.
    """
    channel_class = CHANNELS.get(kind)
    return channel_class() if channel_class is not None else None


def close_worker_channels() -> None:
    """Close this process's channel instances and forget them (tests: each has its servers)."""
    for kind in CHANNELS:
        channel = worker_channel(str(kind))  # as deliveries name it: the cache tells types apart
        if channel is not None:
            channel.close()
    worker_channel.cache_clear()
