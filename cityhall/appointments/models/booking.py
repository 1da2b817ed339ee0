"""Counter services at the city's facilities, their calendars, counters and bookings.

A booking holds one counter from `starts_at` to `ends_at`. The time it covers is also written
as one `BookedCell` per `CELL_MINUTES` step, unique per counter, so the database itself refuses
a second booking of the same counter at the same time (docs/decisions/0024). A later visit (a
check-in, a walk-in ticket) will refer to the booking; the booking stays the promise made.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cityhall.core.encrypted_fields import (
    DigestsSavedWithTheirSource,
    EncryptedTextField,
    KeyedHashField,
)
from cityhall.core.models import BaseModel

#: The grid every booking is cut into: start times, durations and opening hours are multiples.
CELL_MINUTES = 5


def _in_language(english: str, french: str) -> str:
    return french if (get_language() or "").startswith("fr") and french else english


def _on_grid(value: dt.time) -> bool:
    return value.minute % CELL_MINUTES == 0 and value.second == 0 and value.microsecond == 0


class CounterService(BaseModel):
    """Something done at a counter (a passport, a library card), with how it may be reached."""

    class Access(models.TextChoices):
        BOOKING = "booking", _("By appointment only")
        WALK_IN = "walk_in", _("Walk-in only")
        BOTH = "both", _("By appointment or walk-in")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    summary_en = models.TextField(_("description (English)"), blank=True)
    summary_fr = models.TextField(_("description (French)"), blank=True)
    documents_en = models.TextField(_("documents to bring (English)"), blank=True)
    documents_fr = models.TextField(_("documents to bring (French)"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[MinValueValidator(CELL_MINUTES), MaxValueValidator(480)],
    )
    access = models.CharField(_("access"), max_length=10, choices=Access, default=Access.BOTH)
    max_open_bookings_per_person = models.PositiveSmallIntegerField(
        _("open bookings allowed per person"), default=2
    )
    booking_horizon_days = models.PositiveSmallIntegerField(
        _("bookable up to (days ahead)"), default=60
    )
    minimum_notice_minutes = models.PositiveIntegerField(_("minimum notice (minutes)"), default=60)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("counter service")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="counter_service_has_a_duration"
            ),
        ]

    def __str__(self) -> str:
        return self.name_en

    def clean(self) -> None:
        if self.duration_minutes and self.duration_minutes % CELL_MINUTES:
            raise ValidationError(
                {"duration_minutes": _("The duration must be a multiple of 5 minutes.")}
            )

    @property
    def name(self) -> str:
        return _in_language(self.name_en, self.name_fr)

    @property
    def summary(self) -> str:
        return _in_language(self.summary_en, self.summary_fr)

    @property
    def documents(self) -> str:
        return _in_language(self.documents_en, self.documents_fr)

    @property
    def is_bookable(self) -> bool:
        return self.is_active and self.access != self.Access.WALK_IN


class OpeningHours(models.Model):
    """One range of a facility's opening hours on a weekday (several ranges make a lunch break)."""

    facility = models.ForeignKey(
        "places.Facility", on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), validators=[MaxValueValidator(6)], help_text=_("0 is Monday.")
    )
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["facility_id", "weekday", "opens_at"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="opening_hours_close_after_open",
            ),
            models.CheckConstraint(
                condition=Q(weekday__lte=6), name="opening_hours_weekday_0_to_6"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"

    def clean(self) -> None:
        if not (_on_grid(self.opens_at) and _on_grid(self.closes_at)):
            raise ValidationError(_("Opening hours must fall on 5-minute steps."))


class PublicHoliday(models.Model):
    """A day the city's offices are closed (see holidays.py, also for the SLA clock)."""

    day = models.DateField(_("day"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)

    class Meta:
        ordering = ["day"]
        verbose_name = _("public holiday")

    def __str__(self) -> str:
        return f"{self.day}: {self.name_en}"

    @property
    def name(self) -> str:
        return _in_language(self.name_en, self.name_fr)


class Closure(BaseModel):
    """An exceptional closure of one facility, from `starts_on` to `ends_on` inclusive."""

    facility = models.ForeignKey(
        "places.Facility", on_delete=models.CASCADE, related_name="closures"
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    reason_en = models.CharField(_("reason (English)"), max_length=200)
    reason_fr = models.CharField(_("reason (French)"), max_length=200)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("closure")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="closure_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id}: {self.starts_on} to {self.ends_on}"

    @property
    def reason(self) -> str:
        return _in_language(self.reason_en, self.reason_fr)


class Counter(BaseModel):
    """A desk of a facility: one person served at a time, offering some services."""

    facility = models.ForeignKey(
        "places.Facility", on_delete=models.CASCADE, related_name="counters"
    )
    label = models.CharField(_("label"), max_length=60, help_text=_("Shown to visitors, e.g. 3."))
    services = models.ManyToManyField(CounterService, related_name="counters", blank=True)
    is_open = models.BooleanField(_("open for bookings"), default=True)

    class Meta:
        ordering = ["facility_id", "label"]
        verbose_name = _("counter")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "label"], name="counter_label_per_facility"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Booking(DigestsSavedWithTheirSource, BaseModel):
    """An appointment: one person, one service, one counter, one time.

    A booking made without an account waits for its email to be confirmed (`hold_expires_at`);
    an unconfirmed hold past that time expires and frees its time.
    """

    class Status(models.TextChoices):
        AWAITING_CONFIRMATION = "awaiting", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    service = models.ForeignKey(CounterService, on_delete=models.PROTECT, related_name="bookings")
    facility = models.ForeignKey(
        "places.Facility", on_delete=models.PROTECT, related_name="bookings"
    )
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="bookings")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(_("status"), max_length=10, choices=Status)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bookings",
    )
    # A booking without an account is reached through its email; encrypted at rest and found
    # by its keyed digest (core/encrypted_fields.py).
    contact_email = EncryptedTextField(
        _("contact email"), max_length=254, blank=True, validators=[validate_email]
    )
    contact_email_digest = KeyedHashField(source="contact_email")
    language = models.CharField(_("language"), max_length=8, default="en")
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    #: A form's one-time key: submitting the same form twice returns the first booking.
    submission_key = models.UUIDField(null=True, blank=True, unique=True)
    day_before_reminder_at = models.DateTimeField(null=True, blank=True)
    two_hours_reminder_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("booking")
        indexes = [
            models.Index(fields=["facility", "starts_at"], name="booking_facility_start_idx"),
            models.Index(fields=["status", "starts_at"], name="booking_status_start_idx"),
            # What the slot search reads: a counter's bookings in a range of time.
            models.Index(fields=["counter", "starts_at"], name="booking_counter_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(citizen__isnull=False) | ~Q(contact_email=""),
                name="booking_has_someone_to_tell",
            ),
            models.CheckConstraint(
                condition=Q(contact_email="", contact_email_digest="")
                | (~Q(contact_email="") & ~Q(contact_email_digest="")),
                name="booking_contact_digest_iff_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


ACTIVE_STATUSES = (Booking.Status.AWAITING_CONFIRMATION, Booking.Status.CONFIRMED)


class BookedCell(models.Model):
    """One `CELL_MINUTES` step of a counter's time taken by an active booking.

    Unique per counter and start: two bookings can never share a step of one counter, whatever
    the requests racing. Cells exist only for active bookings; cancelling or expiring deletes
    them in the same transaction.
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="cells")
    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="+")
    cell_start = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["counter", "cell_start"], name="one_booking_per_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.counter_id}@{self.cell_start:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """A person's secret calendar feed address (`/appointments/feed/<token>.ics`)."""

    citizen = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")

    def __str__(self) -> str:
        return f"feed of {self.citizen_id}"
