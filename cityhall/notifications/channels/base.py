"""The contract every channel implements."""

from __future__ import annotations

from typing import ClassVar

from cityhall.notifications.models import ChannelKind, Delivery


class Channel:
    """Sends one delivery. Subclasses set `kind` and implement `send`.

    `send` either returns (the message left; it may set `delivery.provider_message_id`, which
    the caller saves) or raises DeliveryFailed: `permanent=True` means retrying cannot help,
    and RecipientRejected means the address must be suppressed. One instance may be reused
    for many deliveries, so that a worker keeps its connections open.
    """

    kind: ClassVar[ChannelKind]

    def send(self, delivery: Delivery) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Release connections the channel holds open; it reopens them when next used."""
