"""The waiting list: people who want a service at a facility sooner than any free time.

An entry names a range of days (and, if the person wishes, a range of times of day). When a
booking is cancelled or a hold expires, the freed time is offered to the first matching entry:
a booking is made for them, held for `settings.APPOINTMENTS_WAITING_OFFER_MINUTES`, and
accepting confirms it; declining or letting it lapse frees it for the next entry
(waiting_list.py). An entry made without an account waits for its email to be confirmed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cityhall.appointments.models.booking import Booking, CounterService
from cityhall.core.encrypted_fields import (
    DigestsSavedWithTheirSource,
    EncryptedTextField,
    KeyedHashField,
)
from cityhall.core.models import BaseModel


class WaitingListEntry(DigestsSavedWithTheirSource, BaseModel):
    """One person waiting for a time of one service at one facility."""

    class Status(models.TextChoices):
        AWAITING_CONFIRMATION = "awaiting", _("Email to confirm")
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Time offered")
        BOOKED = "booked", _("Booked")
        LEFT = "left", _("Left the list")
        LAPSED = "lapsed", _("Offer not answered")

    service = models.ForeignKey(
        CounterService, on_delete=models.CASCADE, related_name="waiting_entries"
    )
    facility = models.ForeignKey(
        "places.Facility", on_delete=models.CASCADE, related_name="waiting_entries"
    )
    first_day = models.DateField(pgettext_lazy("first day of a range", "from"))
    last_day = models.DateField(_("until"))
    earliest_time = models.TimeField(_("not before"), null=True, blank=True)
    latest_time = models.TimeField(_("ending by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="waiting_entries",
    )
    contact_email = EncryptedTextField(
        _("contact email"), max_length=254, blank=True, validators=[validate_email]
    )
    contact_email_digest = KeyedHashField(source="contact_email")
    language = models.CharField(_("language"), max_length=8, default="en")
    #: The booking held for this person while an offer is open (then the one they accepted).
    offered_booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="waiting_entry"
    )
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    #: The start of the last time this person declined, so that it is not offered again.
    declined_starts_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list entries")
        indexes = [
            models.Index(
                fields=["facility", "status", "created_at"], name="waiting_facility_status_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")),
                name="waiting_entry_days_in_order",
            ),
            models.CheckConstraint(
                condition=Q(earliest_time__isnull=True)
                | Q(latest_time__isnull=True)
                | Q(latest_time__gt=models.F("earliest_time")),
                name="waiting_entry_times_in_order",
            ),
            models.CheckConstraint(
                condition=Q(citizen__isnull=False) | ~Q(contact_email=""),
                name="waiting_entry_has_someone_to_tell",
            ),
            # One open entry per person, service and facility, whatever requests race.
            models.UniqueConstraint(
                fields=["citizen", "service", "facility"],
                condition=Q(status__in=["awaiting", "waiting", "offered"], citizen__isnull=False),
                name="one_open_waiting_entry_per_citizen",
            ),
            models.UniqueConstraint(
                fields=["contact_email_digest", "service", "facility"],
                condition=Q(status__in=["awaiting", "waiting", "offered"], citizen__isnull=True),
                name="one_open_waiting_entry_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id}@{self.facility_id} {self.first_day}..{self.last_day}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


OPEN_STATUSES = (
    WaitingListEntry.Status.AWAITING_CONFIRMATION,
    WaitingListEntry.Status.WAITING,
    WaitingListEntry.Status.OFFERED,
)
