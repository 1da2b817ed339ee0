"""The appointments domain's errors (subclasses of core.errors, so every channel maps them).

* InvalidInput
  · SlotNotOffered         the time is past, outside opening hours, or on a closed day
  · TooLittleNotice        the time is sooner than the service's minimum notice
  · BeyondHorizon          the time is further ahead than the service may be booked
  · NotBookable            the service cannot be booked (walk-in only, inactive, not offered here)
  · InvalidBookingLink     an emailed link was altered, has expired, or names no booking
  · WaitingRangeNotValid   a waiting list's days are past, out of order, or its times are
* Conflict
  · SlotTaken              someone else took that time a moment ago; carries the next free slot
  · BookingLimitReached    the person already holds the service's number of open bookings
  · BookingNotChangeable   the booking is cancelled, expired or already past
  · HoldExpired            the confirmation came after the unconfirmed hold expired
  · AlreadyWaiting         the person is already on the waiting list for this service there
  · WaitingLimitReached    the person is already on the allowed number of waiting lists
  · OfferNotOpen           the offered time was answered already, or its hold is over
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityhall.core.errors import Conflict, InvalidInput


class SlotNotOffered(InvalidInput):
    code = "slot_not_offered"
    default_message = gettext_lazy(
        "This time cannot be booked: it is past, or the office is closed then."
    )


class TooLittleNotice(InvalidInput):
    code = "too_little_notice"

    def __init__(self, *, minutes: int):
        super().__init__(
            _("Appointments must be booked at least %(minutes)d minutes ahead.")
            % {"minutes": minutes}
        )


class BeyondHorizon(InvalidInput):
    code = "beyond_horizon"

    def __init__(self, *, days: int):
        super().__init__(
            _("Appointments can be booked at most %(days)d days ahead.") % {"days": days}
        )


class NotBookable(InvalidInput):
    code = "not_bookable"
    default_message = gettext_lazy("This service cannot be booked at this place.")


class InvalidBookingLink(InvalidInput):
    code = "invalid_booking_link"
    default_message = gettext_lazy(
        "This link is not valid or has expired. Use the latest email we sent you."
    )


class SlotTaken(Conflict):
    code = "slot_taken"

    def __init__(self, *, next_slot_at: dt.datetime | None):
        self.next_slot_at = next_slot_at
        super().__init__(_("That time was just taken by someone else. Please choose another."))


class BookingLimitReached(Conflict):
    code = "booking_limit_reached"

    def __init__(self, *, limit: int):
        super().__init__(
            _(
                "You already have %(limit)d upcoming appointments for this service. "
                "Cancel one before booking another."
            )
            % {"limit": limit}
        )


class BookingNotChangeable(Conflict):
    code = "booking_not_changeable"
    default_message = gettext_lazy(
        "This appointment can no longer be changed: it was cancelled, or its time has passed."
    )


class HoldExpired(Conflict):
    code = "hold_expired"
    default_message = gettext_lazy(
        "This time was held for you for a limited time only, and the hold has expired. "
        "Please book again."
    )


class WaitingRangeNotValid(InvalidInput):
    code = "waiting_range_not_valid"
    default_message = gettext_lazy(
        "Choose days from today on, the last one after the first, and an ending time after "
        "the starting time."
    )


class AlreadyWaiting(Conflict):
    code = "already_waiting"
    default_message = gettext_lazy(
        "You are already on the waiting list for this service at this place."
    )


class WaitingLimitReached(Conflict):
    code = "waiting_limit_reached"

    def __init__(self, *, limit: int):
        super().__init__(
            _("You are already on %(limit)d waiting lists. Leave one before joining another.")
            % {"limit": limit}
        )


class OfferNotOpen(Conflict):
    code = "offer_not_open"
    default_message = gettext_lazy(
        "This time is no longer held for you: it was answered already, or the time to accept "
        "it is over."
    )
