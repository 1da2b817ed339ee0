"""The virtual queue's errors (subclasses of core.errors, so every channel maps them).

* InvalidInput
  · WalkInNotOffered       the service takes appointments only, or is not offered here
  · FacilityClosed         the facility is closed now (hours, public holiday, closure)
  · CheckInNotOpen         the booking is not for today, or its check-in has not opened yet
* Conflict
  · TicketLimitReached     the person already holds the allowed number of open tickets
  · AlreadyCheckedIn       the booking was checked in already
  · BookingNotCheckable    the booking is cancelled, expired or unconfirmed
  · NotOnDuty              the staff member has no open session at this counter
  · CounterTaken           another staff member is on duty at this counter
  · CounterBusy            the counter has a visit called or being served; finish it first
  · VisitNotChangeable     the visit is not in a state that allows this step
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityhall.core.errors import Conflict, InvalidInput


class WalkInNotOffered(InvalidInput):
    code = "walk_in_not_offered"
    default_message = gettext_lazy(
        "This service takes appointments only here. Please book an appointment."
    )


class FacilityClosed(InvalidInput):
    code = "facility_closed"
    default_message = gettext_lazy(
        "This place is closed now. Tickets are given during opening hours."
    )


class CheckInNotOpen(InvalidInput):
    code = "check_in_not_open"

    def __init__(self, *, minutes: int):
        super().__init__(
            _(
                "This appointment cannot be checked in now: check-in opens "
                "%(minutes)d minutes before the appointment, on its day."
            )
            % {"minutes": minutes}
        )


class TicketLimitReached(Conflict):
    code = "ticket_limit_reached"

    def __init__(self, *, limit: int):
        super().__init__(
            _("You already hold %(limit)d tickets in a queue. Wait for your turn or cancel one.")
            % {"limit": limit}
        )


class AlreadyCheckedIn(Conflict):
    code = "already_checked_in"
    default_message = gettext_lazy("This appointment is already checked in.")


class BookingNotCheckable(Conflict):
    code = "booking_not_checkable"
    default_message = gettext_lazy(
        "This appointment cannot be checked in: it is cancelled, expired or not confirmed."
    )


class NotOnDuty(Conflict):
    code = "not_on_duty"
    default_message = gettext_lazy("Open your session at this counter first.")


class CounterBusy(Conflict):
    code = "counter_busy"
    default_message = gettext_lazy(
        "This counter already has someone called or being served. Finish that visit first."
    )


class VisitNotChangeable(Conflict):
    code = "visit_not_changeable"
    default_message = gettext_lazy("This visit is no longer in a state that allows this step.")


class CounterTaken(Conflict):
    code = "counter_taken"
    default_message = gettext_lazy("Someone else is on duty at this counter.")
