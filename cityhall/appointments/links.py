"""Signed links in booking emails: confirm an email booking, and manage (reschedule or cancel) it.

A link carries the booking's public id signed with Django's SECRET_KEY (django.core.signing,
a salt per purpose, so a confirmation link cannot be used to cancel). A confirmation link lives
as long as the hold; a management link until the appointment's end. Altered, expired or
unknown links raise InvalidBookingLink. The waiting list signs its links the same way
(waiting_links.py).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core import signing
from django.utils import timezone

from cityhall.appointments.errors import InvalidBookingLink
from cityhall.appointments.models import Booking

CONFIRM_SALT = "appointments.confirm"
MANAGE_SALT = "appointments.manage"


def sign_public_id(public_id: uuid.UUID, *, salt: str, until: dt.datetime) -> str:
    """A token naming `public_id` for the purpose `salt`, valid until `until`."""
    return signing.dumps({"b": str(public_id), "u": int(until.timestamp())}, salt=salt)


def signed_public_id(token: str, *, salt: str, now: dt.datetime | None) -> uuid.UUID:
    """The public id a token of `salt` names; InvalidBookingLink if altered or expired."""
    now = now or timezone.now()
    try:
        payload = signing.loads(token, salt=salt)
        public_id, until = uuid.UUID(str(payload["b"])), int(payload["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidBookingLink from error
    if until < now.timestamp():
        raise InvalidBookingLink
    return public_id


def _sign(booking: Booking, *, salt: str, until: dt.datetime) -> str:
    return sign_public_id(booking.public_id, salt=salt, until=until)


def _booking_for(token: str, *, salt: str, now: dt.datetime | None) -> Booking:
    public_id = signed_public_id(token, salt=salt, now=now)
    booking = (
        Booking.objects.select_related("service", "facility", "counter")
        .filter(public_id=public_id)
        .first()
    )
    if booking is None:
        raise InvalidBookingLink
    return booking


def confirmation_token(booking: Booking) -> str:
    """The token of the link that confirms a booking made by email, valid while it is held."""
    until = booking.hold_expires_at or booking.created_at
    return _sign(booking, salt=CONFIRM_SALT, until=until)


def booking_to_confirm(token: str, *, now: dt.datetime | None = None) -> Booking:
    return _booking_for(token, salt=CONFIRM_SALT, now=now)


def management_token(booking: Booking) -> str:
    """The token of the link that reschedules or cancels a booking, valid until it ends."""
    return _sign(booking, salt=MANAGE_SALT, until=booking.ends_at)


def booking_to_manage(token: str, *, now: dt.datetime | None = None) -> Booking:
    return _booking_for(token, salt=MANAGE_SALT, now=now)
