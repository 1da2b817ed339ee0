"""Signed links of the waiting list: confirm an email, leave the list, answer an offered time.

Signed as the booking links are (links.py), a salt per purpose. The confirmation and leaving
links live until the entry's last day ends; an offer link as long as the offered time is held,
and only for the offer it was sent for. Altered, expired or stale links raise
InvalidBookingLink.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from cityhall.appointments.errors import InvalidBookingLink
from cityhall.appointments.links import sign_public_id, signed_public_id
from cityhall.appointments.models import WaitingListEntry
from cityhall.appointments.slots import city_zone

CONFIRM_SALT = "appointments.waiting.confirm"
MANAGE_SALT = "appointments.waiting.manage"
OFFER_SALT = "appointments.waiting.offer"


def _end_of_range(entry: WaitingListEntry) -> dt.datetime:
    return dt.datetime.combine(
        entry.last_day + dt.timedelta(days=1), dt.time.min, tzinfo=city_zone()
    )


def _entry(public_id: uuid.UUID) -> WaitingListEntry:
    entry = (
        WaitingListEntry.objects.select_related(
            "service", "facility", "offered_booking", "offered_booking__service"
        )
        .filter(public_id=public_id)
        .first()
    )
    if entry is None:
        raise InvalidBookingLink
    return entry


def confirmation_token(entry: WaitingListEntry) -> str:
    return sign_public_id(entry.public_id, salt=CONFIRM_SALT, until=_end_of_range(entry))


def entry_to_confirm(token: str, *, now: dt.datetime | None = None) -> WaitingListEntry:
    return _entry(signed_public_id(token, salt=CONFIRM_SALT, now=now))


def management_token(entry: WaitingListEntry) -> str:
    return sign_public_id(entry.public_id, salt=MANAGE_SALT, until=_end_of_range(entry))


def entry_to_manage(token: str, *, now: dt.datetime | None = None) -> WaitingListEntry:
    return _entry(signed_public_id(token, salt=MANAGE_SALT, now=now))


def offer_token(entry: WaitingListEntry) -> str:
    """The link of the current offer; it names the booking held, so a later offer needs its own."""
    assert entry.offered_booking is not None
    assert entry.offer_expires_at is not None
    return sign_public_id(
        entry.offered_booking.public_id, salt=OFFER_SALT, until=entry.offer_expires_at
    )


def entry_of_offer(token: str, *, now: dt.datetime | None = None) -> WaitingListEntry:
    booking_id = signed_public_id(token, salt=OFFER_SALT, now=now or timezone.now())
    entry = (
        WaitingListEntry.objects.select_related(
            "service", "facility", "offered_booking", "offered_booking__service"
        )
        .filter(offered_booking__public_id=booking_id)
        .first()
    )
    if entry is None:
        raise InvalidBookingLink
    return entry
