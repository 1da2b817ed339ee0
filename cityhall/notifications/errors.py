"""Errors of the notifications domain.

* DeliveryFailed (core)          a channel failed; .permanent says whether to retry
  + RecipientRejected            the address itself is refused (hard bounce, opted out): suppress it
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cityhall.core.errors import DeliveryFailed


class RecipientRejected(DeliveryFailed):
    """The provider refused the address for good; nothing should be sent to it again."""

    code = "recipient_rejected"
    default_message = _("The address does not accept messages.")

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message, permanent=True)
