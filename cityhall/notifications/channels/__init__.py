"""Channel registry. To add a channel: write a `Channel` subclass in its own module, import it
here, add its kind to `ChannelKind`, and give it topic defaults in `services.TOPIC_DEFAULTS`."""

from __future__ import annotations

from functools import cache

from cityhall.notifications.channels.base import Channel
from cityhall.notifications.channels.email import EmailChannel
from cityhall.notifications.channels.in_app import InAppChannel
from cityhall.notifications.channels.sms import SmsChannel

CHANNELS: dict[str, type[Channel]] = {
    EmailChannel.kind: EmailChannel,
    SmsChannel.kind: SmsChannel,
    InAppChannel.kind: InAppChannel,
}


@cache
def worker_channel(kind: str) -> Channel:
    """This process's instance of a channel; one per worker, so SMTP connections are reused."""
    return CHANNELS[kind]()
