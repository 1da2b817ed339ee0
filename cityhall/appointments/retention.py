"""How long bookings made without an account are kept: their email is the only personal data.
The email or phone left with a queue ticket is cleared once its day is past, and a guest's place
on a waiting list (with its email) is deleted once its last day is that long past.

Bookings of account holders follow the account (erased with it); a guest's booking, and the
email it was made with, is deleted once its time is that long past.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cityhall.appointments.models import Booking, Visit, WaitingListEntry
from cityhall.privacy.batches import delete_in_batches, update_in_batches
from cityhall.privacy.registry import RetentionRule, register_retention_rule


def delete_past_guest_bookings(cutoff: dt.datetime, dry_run: bool) -> int:
    """Delete bookings without an account that ended before `cutoff`, with their cells."""
    return delete_in_batches(
        Booking.objects.filter(citizen__isnull=True, ends_at__lt=cutoff), dry_run=dry_run
    )


GUEST_BOOKINGS = register_retention_rule(
    RetentionRule(
        code="appointments.guest_bookings",
        description=_(
            "Appointments booked without an account, with the email they were booked with, "
            "are deleted once their time is past."
        ),
        default_months=3,
        apply=delete_past_guest_bookings,
    )
)


def clear_past_visit_contacts(cutoff: dt.datetime, dry_run: bool) -> int:
    """Blank the email and phone left for the "nearly your turn" message on visits of days
    before `cutoff` (the visits stay, without them, for the figures)."""
    old = Visit.objects.filter(day__lt=cutoff.date()).filter(
        ~Q(contact_email="") | ~Q(contact_phone="")
    )
    return update_in_batches(
        old,
        dry_run=dry_run,
        contact_email="",
        contact_email_digest="",
        contact_phone="",
        contact_phone_digest="",
    )


VISIT_CONTACTS = register_retention_rule(
    RetentionRule(
        code="appointments.visit_contacts",
        description=_(
            "The email or phone number left with a queue ticket, to be told when your turn "
            "is near, is cleared once the day is past."
        ),
        default_months=1,
        apply=clear_past_visit_contacts,
    )
)


def delete_past_guest_waiting_entries(cutoff: dt.datetime, dry_run: bool) -> int:
    """Delete waiting list entries made without an account whose last day was before `cutoff`."""
    return delete_in_batches(
        WaitingListEntry.objects.filter(citizen__isnull=True, last_day__lt=cutoff.date()),
        dry_run=dry_run,
    )


GUEST_WAITING_ENTRIES = register_retention_rule(
    RetentionRule(
        code="appointments.guest_waiting_entries",
        description=_(
            "A place on a waiting list taken without an account, with its email, is deleted "
            "once its days are past."
        ),
        default_months=1,
        apply=delete_past_guest_waiting_entries,
    )
)
