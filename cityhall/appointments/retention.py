"""How long bookings made without an account are kept: their email is the only personal data.

Bookings of account holders follow the account (erased with it); a guest's booking, and the
email it was made with, is deleted once its time is that long past.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from cityhall.appointments.models import Booking
from cityhall.privacy.batches import delete_in_batches
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
