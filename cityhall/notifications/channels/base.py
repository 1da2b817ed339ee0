"""The contract every channel implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from cityhall.core.errors import DeliveryFailed
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

    def send_many(self, deliveries: Sequence[Delivery]) -> list[DeliveryFailed | None]:
        """Send each delivery as `send` does; returns, in order, None for each one that left
        and the DeliveryFailed of each one that did not. A channel that can send a batch
        faster than one by one (email) overrides it."""
        failures: list[DeliveryFailed | None] = []
        for delivery in deliveries:
            try:
                self.send(delivery)
            except DeliveryFailed as error:
                failures.append(error)
            else:
                failures.append(None)
        return failures

    def close(self) -> None:
        """Release connections the channel holds open; it reopens them when next used."""
