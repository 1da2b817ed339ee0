"""What the back office's and the partner area's webhook pages do alike."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.core.errors import CityHallError
from cityhall.integrations.models import WebhookDelivery
from cityhall.integrations.services import redeliver_webhook


def redeliver_and_say(request: HttpRequest, *, actor: User, delivery: WebhookDelivery) -> None:
    """Queue `delivery` to be sent again as `actor` and tell them how it went (a flash message).

    The caller has already checked that `actor` may see the delivery.
    """
    try:
        redeliver_webhook(actor=actor, delivery=delivery)
    except CityHallError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The delivery is queued to be sent again."))
